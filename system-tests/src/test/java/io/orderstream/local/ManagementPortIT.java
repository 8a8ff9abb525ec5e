package io.orderstream.local;

import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Health and metrics live on management ports only: the metrics name tenants and their volumes,
 * so the API's own port serves no {@code /actuator} path, with or without a token, while each
 * service's management port answers probes and Prometheus without one.
 */
class ManagementPortIT {

    private static final List<String> ACTUATOR_PATHS = List.of("/actuator", "/actuator/health",
            "/actuator/health/liveness", "/actuator/info", "/actuator/metrics", "/actuator/prometheus",
            "/actuator/env", "/actuator/heapdump");

    private static TestStack stack;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
    }

    @Test
    void apiPort_servesNoActuatorEndpoint_withoutAToken_401Problem() {
        for (String path : ACTUATOR_PATHS) {
            HttpResponse<String> response = stack.api.send(stack.api.request(path).GET().build());

            assertProblem(response, 401, "unauthenticated");
            assertThat(response.body()).as(path).doesNotContain("orders_").doesNotContain("\"UP\"");
        }
    }

    @Test
    void apiPort_servesNoActuatorEndpoint_withAToken_404Problem() {
        String tenant = TestStack.newTenant();
        // the tenant has done something, so its tag would be in the metrics if they were served here
        assertThat(stack.api.placeOrder(tenant, "k1", Api.placeBody("c-1")).statusCode()).isEqualTo(201);

        for (String path : ACTUATOR_PATHS) {
            HttpResponse<String> response = stack.api.send(stack.api.request(path)
                    .header("Authorization", "Bearer " + stack.api.token(tenant)).GET().build());

            assertProblem(response, 404, "not-found");
            assertThat(response.body()).as(path).doesNotContain(tenant).doesNotContain("\"UP\"");
        }
    }

    @Test
    void apiManagementPort_servesHealthAndPrometheus_withoutAToken() {
        String tenant = TestStack.newTenant();
        assertThat(stack.api.placeOrder(tenant, "k1", Api.placeBody("c-1")).statusCode()).isEqualTo(201);
        int port = stack.services.apiManagementPort();
        assertThat(port).isNotEqualTo(stack.services.apiPort());

        assertHealthUp(port);
        // a bearer token, good or bad, changes nothing: the management port is not behind the JWT check
        for (String authorization : List.of("Bearer not-a-token", "Bearer " + stack.api.token(tenant))) {
            HttpResponse<String> health = get(port, "/actuator/health", Map.of("Authorization", authorization));
            assertThat(health.statusCode()).as(authorization).isEqualTo(200);
        }
        assertPrometheus(port, "http_server_requests_seconds_count", "# TYPE jvm_memory_used_bytes gauge");
        HttpResponse<String> api = get(port, "/api/v1/orders",
                Map.of("Authorization", "Bearer " + stack.api.token(tenant)));
        assertThat(api.statusCode()).as("the management port serves no API path: " + api.body()).isEqualTo(404);
    }

    @Test
    void processorPort_servesHealthAndPrometheus_withoutAToken() {
        String tenant = TestStack.newTenant();
        assertThat(stack.api.placeOrder(tenant, "k1", Api.placeBody("c-1")).statusCode()).isEqualTo(201);
        int port = stack.services.processorPort();

        assertHealthUp(port);
        assertPrometheus(port, "orders_commands_answered_total", "# TYPE orders_idempotency_lookups_total counter");
    }

    /** Prometheus text, with these lines among it once the work is counted. */
    private static void assertPrometheus(int port, String... expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> prometheus = get(port, "/actuator/prometheus", Map.of());
            assertThat(prometheus.statusCode()).isEqualTo(200);
            assertThat(prometheus.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(prometheus.body()).contains(expected);
        });
    }

    /** Health, and the probes a load balancer or an orchestrator asks. */
    private static void assertHealthUp(int port) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
                HttpResponse<String> health = get(port, path, Map.of());
                assertThat(health.statusCode()).as(path + ": " + health.body()).isEqualTo(200);
                assertThat(health.headers().firstValue("Content-Type").orElse("")).contains("json");
                JsonNode body = Json.MAPPER.readTree(health.body());
                assertThat(body.get("status").asString()).as(path).isEqualTo("UP");
            }
        });
    }

    private static HttpResponse<String> get(int port, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return stack.api.send(request.build());
    }
}
