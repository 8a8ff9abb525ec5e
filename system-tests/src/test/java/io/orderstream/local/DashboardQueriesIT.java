package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.Json;
import io.orderstream.events.Topics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard and the alert rules against a real Prometheus that scrapes the running stack:
 * Debian's {@code prometheus} with a scrape configuration generated for the stack's management
 * ports (every second) and the project's rules. With a little traffic, every query of
 * deploy/grafana/dashboards/order-stream.json and of deploy/prometheus/alerts.yml returns a series
 * with a value ({@link DashboardQueries} says which query of an alert: the side that is not empty
 * while the alert is quiet).
 */
class DashboardQueriesIT {

    private static LocalPrometheus prometheus;
    private static Path work;

    @BeforeAll
    static void startPrometheus() throws Exception {
        PrometheusTools.require("prometheus");
        TestStack stack = TestStack.get();
        work = Files.createTempDirectory("order-stream-prometheus-");
        prometheus = LocalPrometheus.start(new LocalPrometheus.Settings(PrometheusTools.RULES, work,
                work.resolve("prometheus.log"), 0, stack.services.apiManagementPort(), stack.services.processorPort(),
                Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void bothServices_areScraped() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, String> up = new TreeMap<>();
            for (JsonNode series : query("up")) {
                up.put(series.at("/metric/job").asString(), series.at("/value/1").asString());
            }
            assertThat(up).as("up, by job; the targets say %s", targets()).containsExactlyEntriesOf(new TreeMap<>(Map.of("order-api", "1",
                    "order-processor", "1")));
        });
    }

    @Test
    void everyQueryOfTheDashboardAndTheAlerts_returnsASeries() throws Exception {
        TestStack stack = TestStack.get();
        String tenant = TestStack.newTenant();
        Map<String, String> queries = DashboardQueries.all();
        assertThat(queries.keySet()).anyMatch(name -> name.startsWith("dashboard"))
                .anyMatch(name -> name.startsWith("alert ResultReaderDown"));
        parkOneCommand(stack, tenant);
        AtomicInteger round = new AtomicInteger();

        // rates need samples on both sides of the traffic: a little of everything in each round
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            someTraffic(stack, tenant, round.incrementAndGet());
            Map<String, String> empty = new TreeMap<>();
            for (Map.Entry<String, String> named : queries.entrySet()) {
                JsonNode result = query(named.getValue());
                boolean hasValue = false;
                for (JsonNode series : result) {
                    double value = Double.parseDouble(series.at("/value/1").asString());
                    hasValue |= Double.isFinite(value);
                }
                if (!hasValue) {
                    empty.put(named.getKey(), named.getValue() + " -> " + result);
                }
            }
            assertThat(empty).as("queries without a series with a value").isEmpty();
        });
    }

    /** A new key, its duplicate, the key reused for another body (422), a status change and a read. */
    private static void someTraffic(TestStack stack, String tenant, int round) {
        String key = "dash-" + round;
        var placed = stack.api.placeOrder(tenant, key, Api.placeBody("c-1"));
        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(stack.api.placeOrder(tenant, key, Api.placeBody("c-1")).statusCode()).isEqualTo(201);
        assertThat(stack.api.placeOrder(tenant, key, Api.placeBody("c-2")).statusCode()).isEqualTo(422);
        String orderId = Json.MAPPER.readTree(placed.body()).get("orderId").asString();
        assertThat(stack.api.changeStatus(tenant, orderId, key + "-s", Api.statusBody("PROCESSING")).statusCode())
                .isEqualTo(200);
        assertThat(stack.api.getOrder(tenant, orderId).statusCode()).isEqualTo(200);
    }

    private static void parkOneCommand(TestStack stack, String tenant) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(),
                    (tenant + "/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8),
                    "not a command".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** Each target's health and last scrape error, as Prometheus tells them. */
    private static String targets() {
        var response = TestStack.get().api.send(HttpRequest.newBuilder(URI.create(prometheus.url()
                + "/api/v1/targets")).GET().build());
        StringBuilder out = new StringBuilder();
        for (JsonNode target : Json.MAPPER.readTree(response.body()).at("/data/activeTargets")) {
            out.append(target.at("/labels/job").asString()).append(' ').append(target.at("/health").asString())
                    .append(' ').append(target.at("/lastError").asString()).append("; ");
        }
        return out.toString();
    }

    private static JsonNode query(String promql) {
        TestStack stack = TestStack.get();
        var response = stack.api.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).GET().build());
        assertThat(response.statusCode()).as(promql + ": " + response.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.at("/status").asString()).isEqualTo("success");
        return body.at("/data/result");
    }
}
