package io.orderstream.local;

import static io.orderstream.local.CommandPathIT.json;
import static io.orderstream.local.CommandPathIT.orderId;
import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Reads of the projection: the order list in keyset pages, and an order's event history. */
class OrderReadsIT {

    private static Api api;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        TestStack stack = TestStack.get();
        api = stack.api;
        evidence = new Evidence(stack);
    }

    @Test
    void list_isNewestFirst_inPagesOfLimit_untilANullCursor() {
        String tenant = TestStack.newTenant();
        List<String> placed = place(tenant, 5);

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(list(tenant, "limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            pageSizes.add(page.get("items").size());
            page.get("items").forEach(order -> seen.add(order.get("orderId").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactlyElementsOf(newestFirst(placed));
    }

    @Test
    void laterPages_areStableUnderInserts_noOrderRepeatedOrSkipped() {
        String tenant = TestStack.newTenant();
        List<String> before = newestFirst(place(tenant, 4));
        JsonNode first = json(list(tenant, "limit=2"));
        assertThat(ids(first)).containsExactlyElementsOf(before.subList(0, 2));

        List<String> after = place(tenant, 2);
        JsonNode second = json(list(tenant, "limit=2&cursor=" + first.get("nextCursor").asString()));

        assertThat(ids(second)).containsExactlyElementsOf(before.subList(2, 4));
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(ids(json(list(tenant, "limit=2")))).containsExactlyInAnyOrderElementsOf(after);
    }

    @Test
    void list_byStatus_showsOnlyOrdersInThatStatus() {
        String tenant = TestStack.newTenant();
        List<String> placed = place(tenant, 3);
        String picked = placed.get(1);
        assertThat(api.changeStatus(tenant, picked, "pick", Api.statusBody("PROCESSING")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids(json(list(tenant, "status=PROCESSING"))).size() == 1);

        JsonNode processing = json(list(tenant, "status=PROCESSING"));
        JsonNode pending = json(list(tenant, "status=PENDING"));

        assertThat(ids(processing)).containsExactly(picked);
        assertThat(processing.get("items").get(0).get("status").asString()).isEqualTo("PROCESSING");
        assertThat(ids(pending)).containsExactlyInAnyOrder(placed.get(0), placed.get(2));
        assertThat(ids(json(list(tenant, "status=SHIPPED")))).isEmpty();
    }

    @Test
    void limit_defaultsToTwenty_andGoesUpToAHundred() {
        String tenant = TestStack.newTenant();
        place(tenant, 21);

        HttpResponse<String> byDefault = list(tenant, "");
        HttpResponse<String> hundred = list(tenant, "limit=100");

        assertThat(byDefault.statusCode()).isEqualTo(200);
        assertThat(byDefault.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(byDefault).get("items")).hasSize(20);
        assertThat(json(byDefault).get("nextCursor").isString()).isTrue();
        assertThat(json(hundred).get("items")).hasSize(21);
        assertThat(json(hundred).get("nextCursor").isNull()).isTrue();
        assertThat(json(hundred).get("items").get(0).get("lines").get(0).get("sku").asString()).isEqualTo("SKU-1");
    }

    @Test
    void wrongListParameters_are400Problems_namingTheParameter() {
        String tenant = TestStack.newTenant();
        String[][] cases = {{"limit=0", "limit"}, {"limit=101", "limit"}, {"limit=ten", "limit"},
            {"limit=-5", "limit"}, {"status=LOST", "status"}, {"status=pending", "status"},
            {"cursor=not-a-cursor", "cursor"}, {"cursor=" + "A".repeat(500), "cursor"},
            {"cursor=" + URLEncoder.encode("o1|2026-01-01T00:00:00Z|../x", StandardCharsets.UTF_8), "cursor"}};

        for (String[] wrong : cases) {
            JsonNode problem = assertProblem(list(tenant, wrong[0]), 400, "invalid-parameter");

            assertThat(problem.get("parameter").asString()).as(wrong[0]).isEqualTo(wrong[1]);
            assertThat(problem.get("detail").asString()).startsWith(wrong[1] + ": ");
        }
    }

    @Test
    void cursorNamingAnInstantPostgresqlCannotHold_is400InvalidParameter_not500() {
        String tenant = TestStack.newTenant();
        api.placeOrder(tenant, "place", Api.placeBody("c-1"));
        // year 300000, before 4713 BC, Instant.MAX and MIN, and finer than PostgreSQL's microseconds
        for (String instant : List.of("+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
                "2026-01-01T00:00:00.000000001Z")) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(("o1|" + instant + "|order-1")
                    .getBytes(StandardCharsets.UTF_8));

            JsonNode problem = assertProblem(list(tenant, "cursor=" + cursor), 400, "invalid-parameter");

            assertThat(problem.get("parameter").asString()).as(instant).isEqualTo("cursor");
        }
        // the last instant a cursor may name still pages (every order is older)
        String latest = Base64.getUrlEncoder().withoutPadding().encodeToString("o1|9999-12-31T23:59:59.999999Z|zzz"
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(list(tenant, "cursor=" + latest)).get("items")).hasSize(1));
    }

    @Test
    void events_areTheOrdersEventLog_inSequenceOrder() {
        String tenant = TestStack.newTenant();
        String orderId = orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        for (String status : List.of("PROCESSING", "SHIPPED", "DELIVERED")) {
            assertThat(api.changeStatus(tenant, orderId, "to-" + status, Api.statusBody(status)).statusCode())
                    .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> events = events(tenant, orderId);
            return events.statusCode() == 200 && json(events).get("events").size() == 4;
        });

        HttpResponse<String> response = events(tenant, orderId);

        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.get("orderId").asString()).isEqualTo(orderId);
        List<EventEnvelope> history = Arrays.asList(Json.MAPPER.treeToValue(body.get("events"), EventEnvelope[].class));
        assertThat(history).extracting(EventEnvelope::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(history).isEqualTo(evidence.events(tenant).get(orderId));
        assertThat(body.get("events").get(0).get("event").get("type").asString()).isEqualTo("OrderPlaced");
        assertThat(body.get("events").get(3).get("event").get("to").asString()).isEqualTo("DELIVERED");
    }

    @Test
    void events_ofAnUnknownOrInvalidOrderId_are404Problems() {
        String tenant = TestStack.newTenant();

        assertProblem(events(tenant, "never-placed"), 404, "order-not-found");
        assertProblem(events(tenant, "%E2%80%AE-not-an-id"), 404, "order-not-found");
    }

    /** Places n orders one after the other; returns their ids, oldest first, once all are readable. */
    private static List<String> place(String tenant, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(orderId(api.placeOrder(tenant, "place-" + Instant.now().toEpochMilli() + "-" + i,
                    Api.placeBody("c-" + i))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                .allMatch(id -> api.getOrder(tenant, id).statusCode() == 200));
        return ids;
    }

    /** Ids in the list's order: by creation, newest first; placed one after the other, so the reverse. */
    private static List<String> newestFirst(List<String> oldestFirst) {
        List<String> reversed = new ArrayList<>(oldestFirst);
        Collections.reverse(reversed);
        return reversed;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(order -> ids.add(order.get("orderId").asString()));
        return ids;
    }

    private static HttpResponse<String> list(String tenant, String query) {
        return get(tenant, "/api/v1/orders" + (query.isEmpty() ? "" : "?" + query));
    }

    private static HttpResponse<String> events(String tenant, String orderId) {
        return get(tenant, "/api/v1/orders/" + orderId + "/events");
    }

    private static HttpResponse<String> get(String tenant, String path) {
        return api.send(api.request(path).header("Authorization", "Bearer " + api.token(tenant)).GET().build());
    }
}
