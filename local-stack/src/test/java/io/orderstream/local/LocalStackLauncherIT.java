package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher as a newcomer meets it: start the built jar (what {@code ./run-local.sh} runs), wait
 * for it to say it is up, paste the curl it prints, stop it with SIGTERM and find nothing left;
 * start it again and find the order; start it with {@code --reset} and find it gone.
 */
class LocalStackLauncherIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void launcher_startsHealthy_itsPrintedCurlWorks_keepsDataAcrossRestarts_andStopsCleanly() throws Exception {
        Path localDir = Files.createTempDirectory("order-stream-launcher-");
        Map<String, String> env = Map.of("SERVER_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_API_MANAGEMENT_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PROCESSOR_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_KAFKA_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PG_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_LOCAL_DIR", localDir.toString());
        String base = "http://localhost:" + env.get("SERVER_PORT");

        Launched first = Launched.start(env);
        String orderId;
        try {
            assertThat(first.output()).contains("Order Stream is up").contains(base);
            // the health it prints is served, on the management ports, not the API's
            for (String port : List.of(env.get("ORDERS_API_MANAGEMENT_PORT"), env.get("ORDERS_PROCESSOR_PORT"))) {
                String health = "http://localhost:" + port + "/actuator/health";
                assertThat(first.output()).contains(health.replace("/actuator/health", ""));
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(health)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(health).isEqualTo(200);
                assertThat(answer.body()).as(health).contains("\"status\":\"UP\"");
            }
            // the lines after "Try it:", exactly as printed
            String tryIt = first.output().substring(first.output().indexOf("Try it:") + "Try it:".length(),
                    first.output().indexOf("Press Ctrl-C to stop."));
            Process curl = new ProcessBuilder("bash", "-c", "set -e\n" + tryIt.strip()
                    .replace("curl -i ", "curl -s -o /dev/stderr -w '%{http_code}' ")).start();
            String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String body = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(status).as(body).isEqualTo("201");
            assertThat(body).contains("\"status\":\"PENDING\"").contains("\"customerId\":\"c-42\"");
            Matcher id = Pattern.compile("\"orderId\":\"([^\"]+)\"").matcher(body);
            assertThat(id.find()).isTrue();
            orderId = id.group(1);
            assertThat(localDir.resolve("logs")).isDirectoryContaining(p -> p.endsWith("processor.log"))
                    .isDirectoryContaining(p -> p.endsWith("kafka.log"));
            assertThat(processesMentioning(localDir)).as("PostgreSQL runs from " + localDir).isNotEmpty();
        } finally {
            first.stop();
        }
        assertThat(processesMentioning(localDir)).as("nothing left after SIGTERM").isEmpty();

        Launched second = Launched.start(env);
        try {
            assertThat(second.output()).contains("kept from the last run");
            // projected before the stop, or by the projector resuming now
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(getOrder(base, localDir, orderId)).as("the order survives a restart").isEqualTo(200));
        } finally {
            second.stop();
        }

        Launched reset = Launched.start(env, "--reset");
        try {
            assertThat(getOrder(base, localDir, orderId)).as("--reset starts afresh").isEqualTo(404);
        } finally {
            reset.stop();
        }
        assertThat(processesMentioning(localDir)).isEmpty();
    }

    @Test
    void launcherWithThreeBrokers_runsTheSystemOnAClusterOfThreeBrokerJvms_atReplicationFactor3_andStopsThem()
            throws Exception {
        Path localDir = Files.createTempDirectory("order-stream-launcher-");
        int kafkaPort = LocalKafka.freePort();
        while (!free(kafkaPort + 1) || !free(kafkaPort + 2)) {
            kafkaPort = LocalKafka.freePort();
        }
        Map<String, String> env = Map.of("SERVER_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_API_MANAGEMENT_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PROCESSOR_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_KAFKA_PORT", Integer.toString(kafkaPort),
                "ORDERS_PG_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_LOCAL_DIR", localDir.toString());
        String bootstrap = "localhost:" + kafkaPort + ",localhost:" + (kafkaPort + 1) + ",localhost:" + (kafkaPort + 2);

        Launched launched = Launched.start(env, "--brokers", "3");
        try {
            assertThat(launched.output()).contains("Order Stream is up").contains("Kafka       " + bootstrap);
            // three broker JVMs, each kafka.Kafka on its own node's configuration
            List<String> brokers = processesMentioning(localDir.resolve("cluster")).stream()
                    .map(process -> process.info().commandLine().orElse("")).filter(line -> line.contains("kafka.Kafka"))
                    .toList();
            assertThat(brokers).hasSize(3);
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
                var commands = admin.describeTopics(List.of("orders.commands.v1")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("orders.commands.v1");
                assertThat(commands.partitions()).allSatisfy(partition ->
                        assertThat(partition.replicas()).as("replicas of " + partition).hasSize(3));
                var minIsr = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "orders.commands.v1");
                assertThat(admin.describeConfigs(List.of(minIsr)).all().get(30, TimeUnit.SECONDS).get(minIsr)
                        .get("min.insync.replicas").value()).isEqualTo("2");
            }
        } finally {
            launched.stop();
        }
        assertThat(processesMentioning(localDir)).as("the brokers stopped with the stack").isEmpty();
        // the in-process broker's usage stays the default, and any other count is refused with the usage
        Process refused = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of("target", "local-stack-exec.jar").toString(), "--brokers", "2").redirectErrorStream(true)
                .start();
        String refusal = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(refusal).contains("--brokers takes 1").contains("was '2'");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException taken) {
            return false;
        }
    }

    @Test
    void launcherWithObservability_startsPrometheus_scrapingBothServicesWithTheAlertRules_andStopsIt() throws Exception {
        PrometheusTools.require("prometheus");
        Path localDir = Files.createTempDirectory("order-stream-launcher-");
        String prometheusPort = Integer.toString(LocalKafka.freePort());
        Map<String, String> env = Map.of("SERVER_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_API_MANAGEMENT_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PROCESSOR_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_KAFKA_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PG_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PROMETHEUS_PORT", prometheusPort,
                "ORDERS_LOCAL_DIR", localDir.toString());
        String prometheus = "http://127.0.0.1:" + prometheusPort;

        Launched launched = Launched.start(env, "--observability");
        try {
            assertThat(launched.output()).contains("Prometheus  " + prometheus);
            List<String> alerts = PrometheusTools.rules().stream().filter(rule -> rule.containsKey("alert"))
                    .map(rule -> rule.get("alert").toString()).toList();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String up = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query=up")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(up).contains("\"job\":\"order-api\"").contains("\"job\":\"order-processor\"")
                        .doesNotContain("\"0\"]");
                String rules = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/rules?type=alert"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String alert : alerts) {
                    assertThat(rules).contains("\"name\":\"" + alert + "\"");
                }
            });
        } finally {
            launched.stop();
        }
        assertThat(processesMentioning(localDir)).as("Prometheus stopped with the stack").isEmpty();
    }

    private int getOrder(String base, Path localDir, String orderId) throws Exception {
        Matcher token = Pattern.compile("ACME_TOKEN=(\\S+)").matcher(Files.readString(localDir.resolve("tokens.env")));
        assertThat(token.find()).isTrue();
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders/" + orderId))
                .header("Authorization", "Bearer " + token.group(1)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static List<ProcessHandle> processesMentioning(Path dir) {
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .map(line -> line.contains(dir.toString())).orElse(false)).toList();
    }

    /** One run of the launcher jar, read until it is ready. */
    private record Launched(Process process, String output, List<ProcessHandle> children) {

        static Launched start(Map<String, String> env, String... args) throws Exception {
            Path jar = Path.of("target", "local-stack-exec.jar");
            assertThat(jar).as("built by the package phase").exists();
            // run-local.sh's collector (serial GC), and the client compiler only, as the harness starts its
            // service JVMs: each start here is JIT work on a saturated 2-core machine, not a load
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.environment().remove("ORDERS_JWT_SECRET");
            Process launcher = builder.start();
            List<String> output = new ArrayList<>();
            try {
                // generous: with --brokers 3 four JVMs start, on a machine other builds share
                CompletableFuture.runAsync(() -> readUntilReady(launcher, output)).get(300, TimeUnit.SECONDS);
            } catch (Exception e) {
                launcher.descendants().forEach(ProcessHandle::destroyForcibly); // the broker JVMs too
                launcher.destroyForcibly();
                throw new AssertionError("the launcher did not get ready:\n" + String.join("\n", output), e);
            }
            return new Launched(launcher, String.join("\n", output), launcher.descendants().toList());
        }

        /** SIGTERM, as Ctrl-C or a process manager would send. */
        void stop() throws Exception {
            process.destroy();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            for (ProcessHandle child : children) {
                assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("left behind: " + child.info())
                        .isFalse();
            }
        }

        private static void readUntilReady(Process launcher, List<String> output) {
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.contains("Press Ctrl-C to stop.")) {
                        // keep draining so that the launcher never blocks on a full pipe
                        Thread drain = new Thread(() -> {
                            try {
                                while (lines.readLine() != null) {
                                    // discard
                                }
                            } catch (IOException ignored) {
                                // the launcher stopped
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return;
                    }
                }
                throw new IllegalStateException("the launcher ended before it was ready");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
