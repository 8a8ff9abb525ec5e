package io.orderstream.local;

import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Bad input on the real API: a 4xx problem that names what is wrong, and nothing sent to Kafka. */
class ValidationIT {

    private static TestStack stack;
    private static Api api;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        api = stack.api;
        evidence = new Evidence(stack);
    }

    @Test
    void malformedJson_is400MalformedBody() {
        String tenant = TestStack.newTenant();
        for (String body : List.of("{\"customerId\": ", "not json", "[]", "42", "\"text\"", "",
                Api.placeBody("c-1") + " trailing")) {
            HttpResponse<String> response = api.placeOrder(tenant, "k-" + body.hashCode(), body);

            JsonNode problem = assertProblem(response, 400, "malformed-body");
            assertThat(problem.get("detail").asString()).as(body).doesNotContain("io.orderstream");
        }
        assertThat(evidence.events(tenant)).isEmpty();
    }

    @Test
    void wrongContentType_is415_namingIt() {
        String tenant = TestStack.newTenant();
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x")) {
            HttpResponse<String> response = api.send(api.request("/api/v1/orders").header("Content-Type", type)
                    .header("Authorization", "Bearer " + api.token(tenant)).header("Idempotency-Key", "k")
                    .POST(HttpRequest.BodyPublishers.ofString(Api.placeBody("c-1"))).build());

            JsonNode problem = assertProblem(response, 415, "unsupported-media-type");
            assertThat(problem.get("detail").asString()).contains(type.split(";")[0]);
        }
        HttpResponse<String> none = api.send(api.request("/api/v1/orders/o-1/status")
                .header("Authorization", "Bearer " + api.token(tenant)).header("Idempotency-Key", "k")
                .PUT(HttpRequest.BodyPublishers.ofString(Api.statusBody("SHIPPED"))).build());
        assertProblem(none, 415, "unsupported-media-type");
        assertThat(evidence.events(tenant)).isEmpty();
    }

    @Test
    void badFields_are400Validation_namingTheField() {
        String tenant = TestStack.newTenant();
        String[][] cases = {
            {place("\"c\"", "\"EUR\"", "\"a\"", "0", "100"), "lines[0].quantity"},
            {place("\"c\"", "\"EUR\"", "\"a\"", "-3", "100"), "lines[0].quantity"},
            {place("\"c\"", "\"EUR\"", "\"a\"", "1.5", "100"), "lines[0].quantity"},
            {place("\"c\"", "\"EUR\"", "\"a\"", "\"2\"", "100"), "lines[0].quantity"},
            {place("\"c\"", "\"EUR\"", "\"a\"", "2", "-1"), "lines[0].unitPriceMinor"},
            {place("\"c\"", "\"XYZ\"", "\"a\"", "2", "100"), "currency"},
            {place("\"c\"", "\"eur\"", "\"a\"", "2", "100"), "currency"},
            {place("\"c\"", "null", "\"a\"", "2", "100"), "currency"},
            {place("\"\"", "\"EUR\"", "\"a\"", "2", "100"), "customerId"},
            {place("\"c\"", "\"EUR\"", "\"\"", "2", "100"), "lines[0].sku"},
            {"{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[]}", "lines"},
            {"{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[],\"coupon\":\"FREE\"}", "coupon"},
            {"{\"orderId\":\"../../etc\",\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[]}", "orderId"}};

        for (String[] bad : cases) {
            JsonNode problem = assertProblem(api.placeOrder(tenant, "k-" + bad[0].hashCode(), bad[0]), 400,
                    "validation");

            assertThat(problem.get("detail").asString()).as(bad[0]).startsWith(bad[1] + ":");
        }
        assertThat(evidence.events(tenant)).isEmpty();
    }

    @Test
    void unknownStatus_is400Validation_namingStatus_andListingTheValidOnes() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));

        for (String body : List.of(Api.statusBody("LOST"), Api.statusBody("shipped"), "{\"status\":null}",
                "{\"status\":3}", "{}")) {
            JsonNode problem = assertProblem(api.changeStatus(tenant, orderId, "k-" + body.hashCode(), body), 400,
                    "validation");

            assertThat(problem.get("detail").asString()).as(body).startsWith("status:");
        }
        assertThat(CommandPathIT.json(api.changeStatus(tenant, orderId, "k-lost", Api.statusBody("LOST")))
                .get("detail").asString()).contains("PROCESSING", "CANCELED");
        assertThat(evidence.events(tenant).get(orderId)).hasSize(1);
    }

    @Test
    void bodyAnnouncedOverTheLimit_is413_beforeTheBodyIsSentOrTheTokenRead() {
        RawHttp raw = new RawHttp(stack.services.apiPort());
        byte[] start = "{\"customerId\":\"".getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();

        // announces 100 MB, sends 15 bytes: the answer cannot have waited for the rest
        RawHttp.Response response = raw.send(RawHttp.request("POST", "/api/v1/orders", List.of(
                RawHttp.header("Content-Type", "application/json"), RawHttp.header("Idempotency-Key", "huge"),
                RawHttp.header("Content-Length", "100000000")), start));

        JsonNode problem = assertProblem(response, 413, "payload-too-large");
        assertThat(problem.get("detail").asString()).contains("65536");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void streamedBodyOverTheLimit_is413() {
        String tenant = TestStack.newTenant();
        byte[] huge = ("{\"customerId\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);

        // no Content-Length: the body is chunked, the limit applies as it streams in
        HttpResponse<String> response = api.send(api.request("/api/v1/orders")
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + api.token(tenant))
                .header("Idempotency-Key", "huge").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge))).build());

        assertProblem(response, 413, "payload-too-large");
        assertThat(evidence.events(tenant)).isEmpty();
    }

    @Test
    void bodyAtTheLimit_isRead() {
        String tenant = TestStack.newTenant();
        String padding = " ".repeat(65_536 - Api.placeBody("c-1").length());

        HttpResponse<String> response = api.placeOrder(tenant, "at-limit", Api.placeBody("c-1") + padding);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void wrongMethod_is405Problem_withAllow_andUnknownPath_is404Problem() {
        String tenant = TestStack.newTenant();
        HttpResponse<String> delete = api.send(api.request("/api/v1/orders/o-1")
                .header("Authorization", "Bearer " + api.token(tenant)).DELETE().build());
        HttpResponse<String> unknown = api.send(api.request("/api/v1/customers")
                .header("Authorization", "Bearer " + api.token(tenant)).GET().build());

        assertProblem(delete, 405, "method-not-allowed");
        assertThat(delete.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
        assertProblem(unknown, 404, "not-found");
    }

    private static String place(String customer, String currency, String sku, String quantity, String price) {
        return "{\"customerId\":" + customer + ",\"currency\":" + currency + ",\"lines\":[{\"sku\":" + sku
                + ",\"quantity\":" + quantity + ",\"unitPriceMinor\":" + price + "}]}";
    }
}
