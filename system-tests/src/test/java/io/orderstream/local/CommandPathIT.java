package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The command path end to end: HTTP → Kafka Streams → event log → PostgreSQL, all real. */
class CommandPathIT {

    private static TestStack stack;
    private static Api api;
    private static Evidence evidence;
    private static final Set<String> TENANTS = new HashSet<>();

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        api = stack.api;
        evidence = new Evidence(stack);
    }

    private static String tenant() {
        String tenant = TestStack.newTenant();
        synchronized (TENANTS) {
            TENANTS.add(tenant);
        }
        return tenant;
    }

    @Test
    void duplicateRequest_returnsIdenticalStatusAndBody_withReplayHeader_andNoSecondEvent() {
        String tenant = tenant();

        HttpResponse<String> first = api.placeOrder(tenant, "checkout-1", Api.placeBody("c-1"));
        HttpResponse<String> second = api.placeOrder(tenant, "checkout-1", Api.placeBody("c-1"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        JsonNode order = json(first);
        assertThat(order.get("status").asString()).isEqualTo("PENDING");
        assertThat(order.get("version").asLong()).isEqualTo(1);
        assertThat(order.get("totalMinor").asLong()).isEqualTo(2500);
        assertThat(evidence.events(tenant).get(order.get("orderId").asString())).hasSize(1);
    }

    @Test
    void differentKeys_areProcessedIndependently() {
        String tenant = tenant();

        HttpResponse<String> a = api.placeOrder(tenant, "key-a", Api.placeBody("c-1"));
        HttpResponse<String> b = api.placeOrder(tenant, "key-b", Api.placeBody("c-1"));

        assertThat(a.statusCode()).isEqualTo(201);
        assertThat(b.statusCode()).isEqualTo(201);
        assertThat(b.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(orderId(a)).isNotEqualTo(orderId(b));
        String orderId = orderId(a);
        HttpResponse<String> processing = api.changeStatus(tenant, orderId, "s-1", Api.statusBody("PROCESSING"));
        HttpResponse<String> shipped = api.changeStatus(tenant, orderId, "s-2", Api.statusBody("SHIPPED"));
        assertThat(processing.statusCode()).isEqualTo(200);
        assertThat(json(processing).get("version").asLong()).isEqualTo(2);
        assertThat(shipped.statusCode()).isEqualTo(200);
        assertThat(json(shipped).get("status").asString()).isEqualTo("SHIPPED");
        assertThat(json(shipped).get("version").asLong()).isEqualTo(3);
        assertThat(evidence.events(tenant)).hasSize(2);
    }

    @Test
    void requestWithoutKey_isRejectedWith400Problem_andNothingIsSent() {
        String tenant = tenant();

        HttpResponse<String> post = api.placeOrder(tenant, null, Api.placeBody("c-1"));
        HttpResponse<String> put = api.changeStatus(tenant, "any-order", null, Api.statusBody("PROCESSING"));

        for (HttpResponse<String> response : List.of(post, put)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(response).get("type").asString()).isEqualTo("urn:order-stream:problem:idempotency-key-missing");
            assertThat(json(response).get("status").asInt()).isEqualTo(400);
        }
        assertThat(evidence.events(tenant)).isEmpty();
    }

    @Test
    void invalidKeys_areRejectedWith400Problem() {
        String tenant = tenant();

        HttpResponse<String> tooLong = api.placeOrder(tenant, "k".repeat(256), Api.placeBody("c-1"));
        // java.net.http will not send a non-ASCII header, a misbehaving client would: raw bytes on a socket
        RawHttp.Response notAscii = new RawHttp(stack.services.apiPort()).send(RawHttp.request("POST",
                "/api/v1/orders", List.of(RawHttp.header("Content-Type", "application/json"),
                        RawHttp.header("Authorization", "Bearer " + api.token(tenant)),
                        RawHttp.header("Idempotency-Key", "caf\u00c3\u00a9")),
                Api.placeBody("c-1").getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("type").asString()).isEqualTo("urn:order-stream:problem:idempotency-key-invalid");
        assertThat(notAscii.status()).isEqualTo(400);
        assertThat(notAscii.text()).contains("urn:order-stream:problem:idempotency-key-invalid");
        assertThat(api.placeOrder(tenant, "k".repeat(255), Api.placeBody("c-1")).statusCode()).isEqualTo(201);
    }

    @Test
    void twentyConcurrentIdenticalRequests_allGetOneIdenticalAnswer_andOneEvent() throws Exception {
        String tenant = tenant();
        String orderId = orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return api.changeStatus(tenant, orderId, "double-click", Api.statusBody("PROCESSING"));
                }, pool));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                responses.add(call.get());
            }

            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
            assertThat(responses).extracting(HttpResponse::body).containsOnly(responses.get(0).body());
            assertThat(responses.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty()))
                    .hasSize(1);
            assertThat(json(responses.get(0)).get("version").asLong()).isEqualTo(2);
            List<EventEnvelope> events = evidence.events(tenant).get(orderId);
            assertThat(events).hasSize(2);
            assertThat(events.get(1).event()).isEqualTo(
                    new OrderEvent.OrderStatusChanged(OrderStatus.PENDING, OrderStatus.PROCESSING, null,
                            "dev-user@" + tenant));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameKeyWithDifferentBody_is422_andChangesNothing() {
        String tenant = tenant();
        HttpResponse<String> first = api.placeOrder(tenant, "checkout-7", Api.placeBody("c-1"));

        HttpResponse<String> reused = api.placeOrder(tenant, "checkout-7", Api.placeBody("c-2"));

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(reused).get("type").asString()).isEqualTo("urn:order-stream:problem:idempotency-key-reused");
        // the first answer still stands for the first request
        HttpResponse<String> again = api.placeOrder(tenant, "checkout-7", Api.placeBody("c-1"));
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(evidence.events(tenant).get(orderId(first))).hasSize(1);
    }

    @Test
    void sameKeyUsedByTwoTenants_givesTwoIndependentResults() {
        String acme = tenant();
        String globex = tenant();

        HttpResponse<String> forAcme = api.placeOrder(acme, "shared-key", Api.placeBody("c-1"));
        HttpResponse<String> forGlobex = api.placeOrder(globex, "shared-key", Api.placeBody("c-2"));

        assertThat(forAcme.statusCode()).isEqualTo(201);
        assertThat(forGlobex.statusCode()).isEqualTo(201);
        assertThat(forGlobex.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(orderId(forAcme)).isNotEqualTo(orderId(forGlobex));
        assertThat(json(forGlobex).get("customerId").asString()).isEqualTo("c-2");
    }

    @Test
    void anotherTenantsOrder_answers404_exactlyLikeAMissingOne() {
        String owner = tenant();
        String intruder = tenant();
        String orderId = orderId(api.placeOrder(owner, "k", Api.placeBody("c-1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.getOrder(owner, orderId).statusCode() == 200);

        HttpResponse<String> read = api.getOrder(intruder, orderId);
        HttpResponse<String> change = api.changeStatus(intruder, orderId, "k2", Api.statusBody("CANCELED"));
        HttpResponse<String> missingRead = api.getOrder(intruder, "no-such-order");
        HttpResponse<String> missingChange = api.changeStatus(intruder, "no-such-order", "k3",
                Api.statusBody("CANCELED"));

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(change.statusCode()).isEqualTo(404);
        assertThat(json(read).get("type")).isEqualTo(json(missingRead).get("type"));
        assertThat(json(read).get("detail")).isEqualTo(json(missingRead).get("detail"));
        assertThat(json(change).get("type")).isEqualTo(json(missingChange).get("type"));
        assertThat(json(change).get("detail")).isEqualTo(json(missingChange).get("detail"));
        assertThat(json(api.getOrder(owner, orderId)).get("status").asString()).isEqualTo("PENDING");
        assertThat(evidence.events(intruder)).isEmpty();
    }

    @Test
    void forbiddenTransition_is409_unchangedStatus_is200_withoutEvent() {
        String tenant = tenant();
        String orderId = orderId(api.placeOrder(tenant, "k", Api.placeBody("c-1")));

        HttpResponse<String> forbidden = api.changeStatus(tenant, orderId, "k1", Api.statusBody("DELIVERED"));
        HttpResponse<String> same = api.changeStatus(tenant, orderId, "k2", Api.statusBody("PENDING"));

        assertThat(forbidden.statusCode()).isEqualTo(409);
        assertThat(json(forbidden).get("type").asString()).isEqualTo("urn:order-stream:problem:invalid-transition");
        assertThat(api.changeStatus(tenant, orderId, "k1", Api.statusBody("DELIVERED")).body())
                .isEqualTo(forbidden.body());
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).get("version").asLong()).isEqualTo(1);
        assertThat(evidence.events(tenant).get(orderId)).hasSize(1);
    }

    @Test
    void badInput_getsAClearProblem_namingTheField() {
        String tenant = tenant();

        HttpResponse<String> malformed = api.placeOrder(tenant, "k1", "{\"customerId\": ");
        HttpResponse<String> badQuantity = api.placeOrder(tenant, "k2",
                "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"a\",\"quantity\":0,\"unitPriceMinor\":1}]}");
        HttpResponse<String> unknownStatus = api.changeStatus(tenant, "o-1", "k3", Api.statusBody("LOST"));
        HttpResponse<String> noToken = api.send(api.request("/api/v1/orders/o-1").GET().build());

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("type").asString()).isEqualTo("urn:order-stream:problem:malformed-body");
        assertThat(badQuantity.statusCode()).isEqualTo(400);
        assertThat(json(badQuantity).get("detail").asString()).startsWith("lines[0].quantity");
        assertThat(unknownStatus.statusCode()).isEqualTo(400);
        assertThat(json(unknownStatus).get("detail").asString()).startsWith("status");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    /** Invariant 3 for every order this class touched: PostgreSQL equals the fold of the event log. */
    @AfterAll
    static void projectionEqualsTheFoldOfTheEventLog() {
        for (String tenant : TENANTS) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)));
            Map<String, List<EventEnvelope>> events = evidence.events(tenant);
            for (Map.Entry<String, List<EventEnvelope>> order : events.entrySet()) {
                List<Long> expected = new ArrayList<>();
                for (long s = 1; s <= order.getValue().size(); s++) {
                    expected.add(s);
                }
                // invariant 2: no gaps, no duplicates, in the log and in the table
                assertThat(order.getValue()).extracting(EventEnvelope::sequence).containsExactlyElementsOf(expected);
                assertThat(evidence.projectedSequences(tenant).get(order.getKey())).isEqualTo(expected);
            }
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    static String orderId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return json(response).get("orderId").asString();
    }
}
