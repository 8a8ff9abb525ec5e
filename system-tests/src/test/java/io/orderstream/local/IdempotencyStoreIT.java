package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The idempotency store as operators see it: it survives restarts, and its metrics are published.
 * Its duplicates go through an API instance without the near cache of stored answers, which would
 * otherwise answer them itself and never ask the store.
 */
class IdempotencyStoreIT {

    private static TestStack stack;
    private static Evidence evidence;
    private static ConfigurableApplicationContext uncachedApi;
    private static Api toTheStore;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
        uncachedApi = Services.startApi(new Services.Settings(stack.bootstrapServers, stack.jdbcUrl, stack.dbUser,
                stack.dbPassword, stack.jwtSecret, 0, 0, null,
                AnswerCacheIT.withStackTopics(Map.of("orders.api.answer-cache.enabled", "false"))));
        toTheStore = new Api("http://localhost:" + Services.port(uncachedApi), stack.jwtSecret);
    }

    @AfterAll
    static void stopApi() {
        uncachedApi.close();
    }

    @Test
    void duplicate_afterTheProcessorRestartsOnEmptyState_isStillReplayed() throws Exception {
        String tenant = TestStack.newTenant();
        HttpResponse<String> placed = stack.api.placeOrder(tenant, "before-restart", Api.placeBody("c-1"));
        String orderId = CommandPathIT.orderId(placed);
        HttpResponse<String> changed = stack.api.changeStatus(tenant, orderId, "status-1", Api.statusBody("PROCESSING"));

        // a new machine: no local state, every store restored from its changelog topic
        Path emptyStateDir = Files.createTempDirectory("order-stream-restored-");
        stack.services.restartProcessor(emptyStateDir);

        HttpResponse<String> placedAgain = toTheStore.placeOrder(tenant, "before-restart", Api.placeBody("c-1"));
        HttpResponse<String> changedAgain = toTheStore.changeStatus(tenant, orderId, "status-1",
                Api.statusBody("PROCESSING"));
        HttpResponse<String> reused = toTheStore.changeStatus(tenant, orderId, "status-1", Api.statusBody("CANCELED"));

        assertThat(placedAgain.statusCode()).isEqualTo(201);
        assertThat(placedAgain.body()).isEqualTo(placed.body());
        assertThat(placedAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(changedAgain.statusCode()).isEqualTo(200);
        assertThat(changedAgain.body()).isEqualTo(changed.body());
        assertThat(changedAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(evidence.events(tenant).get(orderId)).hasSize(2);
        // the order state came back too: the next change continues the sequence
        HttpResponse<String> shipped = stack.api.changeStatus(tenant, orderId, "status-2", Api.statusBody("SHIPPED"));
        assertThat(CommandPathIT.json(shipped).get("version").asLong()).isEqualTo(3);
    }

    @Test
    void lookupsReplaysAndLatency_areOnThePrometheusEndpoint() {
        String tenant = TestStack.newTenant();
        for (int i = 0; i < 3; i++) {
            assertThat(toTheStore.placeOrder(tenant, "same-key", Api.placeBody("c-1")).statusCode()).isEqualTo(201);
        }
        toTheStore.placeOrder(tenant, "same-key", Api.placeBody("c-2"));

        HttpResponse<String> scrape = stack.api.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + stack.services.processorPort() + "/actuator/prometheus")).GET().build());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("orders_idempotency_lookups_total\\{outcome=\"replay\",tenant=\"(" + tenant
                        + "|other)\"} [1-9]")
                .contains("orders_idempotency_lookups_total{outcome=\"mismatch\"")
                .contains("orders_idempotency_lookup_latency_seconds_bucket")
                .contains("orders_idempotency_entries")
                .contains("orders_commands_answered_total");
    }
}
