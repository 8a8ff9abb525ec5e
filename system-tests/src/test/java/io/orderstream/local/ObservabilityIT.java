package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules and the dashboard only help if the metrics they query exist: every metric named
 * in deploy/prometheus/alerts.yml and deploy/grafana/dashboards/order-stream.json must be on a
 * service's {@code /actuator/prometheus} once the system has done some work.
 */
class ObservabilityIT {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern METRIC = Pattern.compile("\\b((?:orders|http_server_requests)_[a-z_]+)\\b");

    @Test
    void everyMetricTheAlertsAndTheDashboardQuery_isExported() throws Exception {
        TestStack stack = TestStack.get();
        String tenant = TestStack.newTenant();
        // some of everything: a new key, a replay, a mismatch, a parked command
        stack.api.placeOrder(tenant, "k", Api.placeBody("c-1"));
        stack.api.placeOrder(tenant, "k", Api.placeBody("c-1"));
        stack.api.placeOrder(tenant, "k", Api.placeBody("c-2"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), (tenant + "/x").getBytes(StandardCharsets.UTF_8),
                    "not a command".getBytes(StandardCharsets.UTF_8))).get();
        }

        Set<String> queried = new TreeSet<>();
        queried.addAll(metricsIn(Files.readString(DEPLOY.resolve("prometheus/alerts.yml"))));
        JsonNode dashboard = io.orderstream.events.Json.MAPPER.readTree(
                Files.readString(DEPLOY.resolve("grafana/dashboards/order-stream.json")));
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queried.addAll(metricsIn(target.get("expr").asString()));
            }
        }
        assertThat(queried).contains("orders_idempotency_lookups_total", "orders_idempotency_lookup_latency_seconds_bucket",
                "orders_commands_parked_total", "orders_streams_running", "http_server_requests_seconds_bucket");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String exported = scrape(stack, stack.services.processorPort()) + scrape(stack, stack.services.apiManagementPort());
            Set<String> missing = new TreeSet<>();
            for (String metric : queried) {
                if (!Pattern.compile("(?m)^" + metric + "[{ ]").matcher(exported).find()) {
                    missing.add(metric);
                }
            }
            assertThat(missing).as("queried but not exported").isEmpty();
        });
    }

    @Test
    void processorHealth_reportsTheStreamsState_andTheProjectionLag() {
        TestStack stack = TestStack.get();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var response = stack.api.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + stack.services.processorPort() + "/actuator/health")).GET().build());
            JsonNode health = io.orderstream.events.Json.MAPPER.readTree(response.body());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(health.get("status").asString()).isEqualTo("UP");
            assertThat(health.at("/components/streams/details/state").asString()).isEqualTo("RUNNING");
            assertThat(health.at("/components/projection/details/lag").isNumber()).isTrue();
            assertThat(health.at("/components/projection/details/partitions").size()).isPositive();
        });
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String scrape(TestStack stack, int port) {
        return stack.api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                .GET().build()).body();
    }
}
