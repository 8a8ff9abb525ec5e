package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * for it to say it is up, paste the curl it prints, then stop it with SIGTERM and find nothing left.
 */
class LocalStackLauncherIT {

    @Test
    void launcher_startsHealthy_itsPrintedCurlWorks_andSigtermStopsEverything() throws Exception {
        Path jar = Path.of("target", "local-stack-exec.jar");
        assertThat(jar).as("built by the package phase").exists();
        Path localDir = Files.createTempDirectory("order-stream-launcher-");
        int apiPort = LocalKafka.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-jar", jar.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("SERVER_PORT", Integer.toString(apiPort),
                "ORDERS_PROCESSOR_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_KAFKA_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_PG_PORT", Integer.toString(LocalKafka.freePort()),
                "ORDERS_LOCAL_DIR", localDir.toString()));
        builder.environment().remove("ORDERS_JWT_SECRET");
        Process launcher = builder.start();
        List<ProcessHandle> children = new ArrayList<>();
        try {
            List<String> output = new ArrayList<>();
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> readUntilReady(launcher, output));
            ready.get(180, TimeUnit.SECONDS);
            String printed = String.join("\n", output);
            assertThat(printed).contains("Order Stream is up").contains("http://localhost:" + apiPort);

            // the lines after "Try it:", exactly as printed
            String tryIt = printed.substring(printed.indexOf("Try it:") + "Try it:".length(),
                    printed.indexOf("Press Ctrl-C to stop."));
            Process curl = new ProcessBuilder("bash", "-c", "set -e\n" + tryIt.strip()
                    .replace("curl -i ", "curl -s -o /dev/stderr -w '%{http_code}' ")).start();
            String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String body = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(status).as(body).isEqualTo("201");
            assertThat(body).contains("\"status\":\"PENDING\"").contains("\"customerId\":\"c-42\"");
            Matcher token = Pattern.compile("ACME_TOKEN=(\\S+)").matcher(Files.readString(localDir.resolve("tokens.env")));
            assertThat(token.find()).isTrue();

            // PostgreSQL daemonises: find its processes by the data directory under ORDERS_LOCAL_DIR
            children.addAll(launcher.descendants().toList());
            children.addAll(processesMentioning(localDir));
            assertThat(processesMentioning(localDir)).as("PostgreSQL runs from " + localDir).isNotEmpty();
        } finally {
            launcher.destroy(); // SIGTERM
        }
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        for (ProcessHandle child : children) {
            assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("left behind: " + child.info()).isFalse();
        }
        assertThat(processesMentioning(localDir)).isEmpty();
    }

    private static List<ProcessHandle> processesMentioning(Path dir) {
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .map(line -> line.contains(dir.toString())).orElse(false)).toList();
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
            throw new IllegalStateException("the launcher ended before it was ready:\n" + String.join("\n", output));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
