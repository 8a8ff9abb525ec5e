package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Overload that holds: far more commands at once than the API admits
 * ({@code orders.api.max-commands-in-flight}). Those beyond the bound are refused at the edge,
 * 503 {@code unavailable} with {@code Retry-After}, before their token or body is looked at; the
 * others flow and are all answered; nothing is lost, nothing applied twice: retried with their keys,
 * the refused ones apply once each.
 */
class OverloadIT {

    private static final int REQUESTS = 300;

    @Test
    void aFloodBeyondTheAdmissionBound_isRefusedFast_whileAdmittedCommandsAreAllAnswered() throws Exception {
        TestStack stack = TestStack.get();
        Evidence evidence = new Evidence(stack);
        String tenant = TestStack.newTenant();
        ConfigurableApplicationContext limited = Services.startApi(new Services.Settings(stack.bootstrapServers,
                stack.jdbcUrl, stack.dbUser, stack.dbPassword, stack.jwtSecret, 0, 0, null,
                AnswerCacheIT.withStackTopics(Map.of("orders.api.max-commands-in-flight", "8"))));
        Api api = new Api("http://localhost:" + Services.port(limited), stack.jwtSecret);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                flood.add(http.sendAsync(api.command("POST", "/api/v1/orders", tenant, "flood-" + i,
                        Api.placeBody("c-" + i)), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            Map<Integer, Integer> statuses = new HashMap<>();
            List<Integer> refused = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> answer = flood.get(i).get();
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 503) {
                    Problems.assertProblem(answer, 503, "unavailable");
                    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
                    refused.add(i);
                } else {
                    // every admitted command is answered with its result
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                }
            }
            assertThat(statuses).as(statuses.toString()).containsKeys(201, 503);

            for (int i : refused) {
                HttpResponse<String> retried = api.placeOrder(tenant, "flood-" + i, Api.placeBody("c-" + i));
                assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> evidence.events(tenant).size() == REQUESTS);
            Map<String, List<EventEnvelope>> perOrder = evidence.events(tenant);
            assertThat(perOrder).hasSize(REQUESTS).allSatisfy((order, events) -> assertThat(events).hasSize(1));
            assertThat(perOrder).containsKey(OrderKey.derive(tenant, "flood-0"));
            assertThat(limited.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .get("orders.api.commands.shed").counter().count()).isEqualTo(refused.size());
        } finally {
            limited.close();
        }
    }
}
