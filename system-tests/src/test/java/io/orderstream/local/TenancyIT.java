package io.orderstream.local;

import static io.orderstream.local.CommandPathIT.json;
import static io.orderstream.local.CommandPathIT.orderId;
import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Invariant 5 on every endpoint: a tenant reads and changes only its own orders, and another
 * tenant's order is answered exactly like one that does not exist.
 */
class TenancyIT {

    private static final String MISSING = "no-such-order-anywhere";

    private static Api api;
    private static Evidence evidence;
    private static String owner;
    private static String intruder;
    private static String orderId;

    @BeforeAll
    static void anOrderOfAnotherTenant() {
        TestStack stack = TestStack.get();
        api = stack.api;
        evidence = new Evidence(stack);
        owner = TestStack.newTenant();
        intruder = TestStack.newTenant();
        orderId = orderId(api.placeOrder(owner, "place", Api.placeBody("c-owner")));
        assertThat(api.changeStatus(owner, orderId, "pick", Api.statusBody("PROCESSING")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> json(api.getOrder(owner, orderId)).get("version") != null
                && json(api.getOrder(owner, orderId)).get("version").asLong() == 2);
    }

    @Test
    void getOrder_ofAnotherTenant_is404_exactlyLikeAMissingOne() {
        HttpResponse<String> other = get(intruder, "/api/v1/orders/" + orderId);
        HttpResponse<String> missing = get(intruder, "/api/v1/orders/" + MISSING);

        assertProblem(other, 404, "order-not-found");
        assertSameAnswer(other, orderId, missing, MISSING);
        assertThat(get(owner, "/api/v1/orders/" + orderId).statusCode()).isEqualTo(200);
    }

    @Test
    void getEvents_ofAnotherTenant_is404_exactlyLikeAMissingOne() {
        HttpResponse<String> other = get(intruder, "/api/v1/orders/" + orderId + "/events");
        HttpResponse<String> missing = get(intruder, "/api/v1/orders/" + MISSING + "/events");

        assertProblem(other, 404, "order-not-found");
        assertSameAnswer(other, orderId, missing, MISSING);
        assertThat(json(get(owner, "/api/v1/orders/" + orderId + "/events")).get("events")).hasSize(2);
    }

    @Test
    void changeStatus_ofAnotherTenantsOrder_is404_exactlyLikeAMissingOne_andChangesNothing() {
        HttpResponse<String> other = api.changeStatus(intruder, orderId, "cancel", Api.statusBody("CANCELED"));
        HttpResponse<String> missing = api.changeStatus(intruder, MISSING, "cancel-2", Api.statusBody("CANCELED"));

        assertProblem(other, 404, "order-not-found");
        assertSameAnswer(other, orderId, missing, MISSING);
        assertThat(evidence.events(intruder)).isEmpty();
        List<EventEnvelope> events = evidence.events(owner).get(orderId);
        assertThat(events).hasSize(2);
        assertThat(json(api.getOrder(owner, orderId)).get("status").asString()).isEqualTo("PROCESSING");
    }

    @Test
    void listOrders_showsOnlyTheCallersOwnOrders() {
        JsonNode intruders = json(get(intruder, "/api/v1/orders?limit=100"));
        JsonNode intrudersProcessing = json(get(intruder, "/api/v1/orders?status=PROCESSING"));
        JsonNode owners = json(get(owner, "/api/v1/orders?status=PROCESSING"));

        assertThat(intruders.get("items").isEmpty()).isTrue();
        assertThat(intruders.get("nextCursor").isNull()).isTrue();
        assertThat(intrudersProcessing.get("items").isEmpty()).isTrue();
        assertThat(owners.get("items")).hasSize(1);
        assertThat(owners.get("items").get(0).get("orderId").asString()).isEqualTo(orderId);
    }

    @Test
    void listOrders_withAnotherTenantsCursor_stillShowsOnlyTheCallersOwnOrders() {
        String place2 = orderId(api.placeOrder(owner, "place-2", Api.placeBody("c-owner")));
        await().atMost(Duration.ofSeconds(30)).until(() -> get(owner, "/api/v1/orders/" + place2).statusCode() == 200);
        String ownersCursor = json(get(owner, "/api/v1/orders?limit=1")).get("nextCursor").asString();

        JsonNode intruders = json(get(intruder, "/api/v1/orders?cursor=" + ownersCursor));

        assertThat(intruders.get("items").isEmpty()).isTrue();
    }

    @Test
    void placeOrder_withAnotherTenantsOrderId_createsTheCallersOwnOrder_andLeavesTheOtherUntouched() {
        String another = TestStack.newTenant(); // not the intruder of the other tests: it gets an order here
        String body = "{\"orderId\":\"" + orderId + "\"," + Api.placeBody("c-intruder").substring(1);

        HttpResponse<String> placed = api.placeOrder(another, "same-id", body);

        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(json(placed).get("customerId").asString()).isEqualTo("c-intruder");
        assertThat(json(placed).get("version").asLong()).isEqualTo(1);
        JsonNode owners = json(api.getOrder(owner, orderId));
        assertThat(owners.get("customerId").asString()).isEqualTo("c-owner");
        assertThat(owners.get("status").asString()).isEqualTo("PROCESSING");
        assertThat(evidence.events(owner).get(orderId)).hasSize(2);
    }

    private static HttpResponse<String> get(String tenant, String path) {
        return api.send(api.request(path).header("Authorization", "Bearer " + api.token(tenant)).GET().build());
    }

    /** Same status, content type and body, the order ids aside (the body names the request's path). */
    private static void assertSameAnswer(HttpResponse<String> a, String idA, HttpResponse<String> b, String idB) {
        assertThat(a.statusCode()).isEqualTo(b.statusCode());
        assertThat(a.headers().firstValue("Content-Type")).isEqualTo(b.headers().firstValue("Content-Type"));
        assertThat(a.body().replace(idA, "{orderId}")).isEqualTo(b.body().replace(idB, "{orderId}"));
    }
}
