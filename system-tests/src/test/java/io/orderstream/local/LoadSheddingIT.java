package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Overload: the API keeps a bounded list of commands waiting for their results. Beyond it a
 * command is refused at once, 503 with Retry-After, before anything is sent, so an API under more
 * load than the processor takes answers quickly and keeps its memory instead of running out of it.
 */
class LoadSheddingIT {

    @Test
    void commandBeyondTheWaitingLimit_isRefusedAtOnce_unsent_andItsRetryApplies() throws Exception {
        TestStack stack = TestStack.get();
        Evidence evidence = new Evidence(stack);
        String tenant = TestStack.newTenant();
        ConfigurableApplicationContext limited = Services.startApi(new Services.Settings(stack.bootstrapServers,
                stack.jdbcUrl, stack.dbUser, stack.dbPassword, stack.jwtSecret, 0, 0, null,
                Map.of("orders.api.max-waiting-commands", "2", "orders.api.result-timeout", "60s",
                        "orders.topics.partitions", "3")));
        Api api = new Api("http://localhost:" + Services.port(limited), stack.jwtSecret);
        HttpClient http = HttpClient.newHttpClient();
        stack.services.processor().close(); // nothing answers now: commands wait for their results
        try {
            List<CompletableFuture<HttpResponse<String>>> waiting = List.of(
                    http.sendAsync(api.command("POST", "/api/v1/orders", tenant, "waits-1", Api.placeBody("c-1")),
                            HttpResponse.BodyHandlers.ofString()),
                    http.sendAsync(api.command("POST", "/api/v1/orders", tenant, "waits-2", Api.placeBody("c-2")),
                            HttpResponse.BodyHandlers.ofString()));
            await().atMost(Duration.ofSeconds(20)).until(() -> commandKeys(evidence, tenant).size() == 2);

            HttpResponse<String> refused = api.placeOrder(tenant, "one-too-many", Api.placeBody("c-3"));

            Problems.assertProblem(refused, 503, "unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(commandKeys(evidence, tenant)).containsExactlyInAnyOrder("waits-1", "waits-2");

            stack.services.restartProcessor(Files.createTempDirectory("order-stream-shedding-"));
            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(201);
            }
            HttpResponse<String> retried = api.placeOrder(tenant, "one-too-many", Api.placeBody("c-3"));
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
            assertThat(evidence.events(tenant)).hasSize(3);
        } finally {
            if (!stack.services.processor().isActive()) {
                stack.services.restartProcessor(Files.createTempDirectory("order-stream-shedding-"));
            }
            limited.close();
        }
    }

    private static List<String> commandKeys(Evidence evidence, String tenant) {
        return evidence.readTopic(Topics.COMMANDS.name()).stream()
                // commands the API wrote (other tests put garbage on this topic for the DLQ)
                .filter(record -> MessageHeaders.lastString(record.headers(), MessageHeaders.SCHEMA).isPresent())
                .map(record -> Json.read(record.value(), CommandEnvelope.class))
                .filter(command -> command.tenantId().equals(tenant)).map(CommandEnvelope::idempotencyKey).toList();
    }
}
