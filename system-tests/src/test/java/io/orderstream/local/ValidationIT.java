package io.orderstream.local;

import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import io.orderstream.events.Topics;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    /**
     * Text the system cannot keep, as it arrives in JSON (escapes): NUL, lone high and low
     * surrogates, other C0 controls, DEL, C1, noncharacters.
     */
    private static final List<String> UNKEEPABLE = List.of("\\u0000", "\\ud800", "\\udbff", "\\udc00", "\\udfff",
            "\\u0001", "\\u001b", "\\u007f", "\\u0085", "\\ufffe", "\\uffff");

    @Test
    void textTheSystemCannotKeep_inAnyField_is400Validation_namingTheFieldNotTheValue_andNothingIsSent() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        int sent = commandsOf(tenant).size();
        for (String bad : UNKEEPABLE) {
            String text = "secret" + bad + "text";
            String[][] places = {
                {place("\"" + text + "\"", "\"EUR\"", "\"SKU-1\"", "1", "100"), "customerId"},
                {place("\"c-1\"", "\"EUR\"", "\"" + text + "\"", "1", "100"), "lines[0].sku"},
                {"{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,"
                        + "\"unitPriceMinor\":1},{\"sku\":\"" + text + "\",\"quantity\":1,\"unitPriceMinor\":1}]}",
                    "lines[1].sku"},
                {place("\"c-1\"", "\"E" + bad + "R\"", "\"SKU-1\"", "1", "100"), "currency"},
                {"{\"orderId\":\"o" + bad + "1\"," + Api.placeBody("c-1").substring(1), "orderId"}};
            for (String[] place : places) {
                JsonNode problem = assertProblem(api.placeOrder(tenant, "k-" + place[0].hashCode(), place[0]), 400,
                        "validation");

                assertThat(problem.get("detail").asString()).as(place[0]).startsWith(place[1] + ":")
                        .doesNotContain("secret");
            }
            String change = "{\"status\":\"PROCESSING\",\"reason\":\"" + text + "\"}";
            JsonNode problem = assertProblem(api.changeStatus(tenant, orderId, "k-" + change.hashCode(), change), 400,
                    "validation");
            assertThat(problem.get("detail").asString()).as(change).startsWith("reason:").doesNotContain("secret");
        }
        assertNothingSentAfterThePlacing(tenant, orderId, sent);
    }

    @Test
    void controlsThatLookBlank_andATokenSubjectTheSystemCannotKeep_are400Validation_andNothingIsSent() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        int sent = commandsOf(tenant).size();
        // Java's isBlank takes these for whitespace: once an "empty" reason, sent, and parked
        for (String blank : List.of("\\u000b", "\\u001f", "\\u001c\\u001d", " \\u000c ")) {
            String change = "{\"status\":\"PROCESSING\",\"reason\":\"" + blank + "\"}";
            JsonNode problem = assertProblem(api.changeStatus(tenant, orderId, "k-" + change.hashCode(), change), 400,
                    "validation");
            assertThat(problem.get("detail").asString()).as(change).startsWith("reason:");
        }
        // the token's subject becomes the command's actor
        String token = DevTokens.sign(stack.jwtSecret, new JWTClaimsSet.Builder().subject("picker\u0000secret")
                .claim("tenant", tenant).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
        HttpResponse<String> response = api.send(api.request("/api/v1/orders/" + orderId + "/status")
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", "k-actor").PUT(HttpRequest.BodyPublishers.ofString(
                        Api.statusBody("PROCESSING"))).build());

        JsonNode problem = assertProblem(response, 400, "validation");
        assertThat(problem.get("detail").asString()).startsWith("actor:").doesNotContain("secret");
        assertNothingSentAfterThePlacing(tenant, orderId, sent);
    }

    @Test
    void anyOtherUnicodeText_isKept_astralCharactersAndLineBreaksInAReasonIncluded() {
        String tenant = TestStack.newTenant();
        String customer = "caf\u00e9-\u6ce8\u6587-\ud83d\udce6";
        HttpResponse<String> placed = api.placeOrder(tenant, "place", "{\"customerId\":\"" + customer
                + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"\\ud83d\\udc69\\u200d\\ud83d\\udcbb\",\"quantity\":1,"
                + "\"unitPriceMinor\":1}]}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String orderId = CommandPathIT.orderId(placed);

        HttpResponse<String> changed = api.changeStatus(tenant, orderId, "change",
                "{\"status\":\"PROCESSING\",\"reason\":\"line one\\nline two\\ttabbed\"}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode order = projected(tenant, orderId);
            assertThat(order.get("customerId").asString()).isEqualTo(customer);
            assertThat(order.get("lines").get(0).get("sku").asString()).isEqualTo("\ud83d\udc69\u200d\ud83d\udcbb");
            assertThat(order.get("status").asString()).isEqualTo("PROCESSING");
        });
    }

    @Test
    void aMemberNamedTwice_atAnyDepth_is400MalformedBody_andNothingIsSent() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        int sent = commandsOf(tenant).size();
        String[][] changes = {{"{\"status\":\"PROCESSING\",\"status\":\"CANCELED\"}", "status"},
            {"{\"status\":\"CANCELED\",\"reason\":\"a\",\"reason\":\"b\"}", "reason"}};
        String[][] places = {
            {"{\"customerId\":\"c-1\",\"customerId\":\"c-2\",\"currency\":\"EUR\","
                    + "\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"unitPriceMinor\":1}]}", "customerId"},
            {"{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"sku\":\"B\",\"quantity\":1,"
                    + "\"unitPriceMinor\":1}]}", "lines[0].sku"},
            {"{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,"
                    + "\"unitPriceMinor\":1},{\"sku\":\"B\",\"quantity\":1,\"unitPriceMinor\":1,\"unitPriceMinor\":0}]}",
                "lines[1].unitPriceMinor"}};

        for (String[] change : changes) {
            JsonNode problem = assertProblem(api.changeStatus(tenant, orderId, "k-" + change[0].hashCode(), change[0]),
                    400, "malformed-body");
            assertThat(problem.get("detail").asString()).as(change[0]).contains("(at " + change[1] + ")");
        }
        for (String[] place : places) {
            JsonNode problem = assertProblem(api.placeOrder(tenant, "k-" + place[0].hashCode(), place[0]), 400,
                    "malformed-body");
            assertThat(problem.get("detail").asString()).as(place[0]).contains("(at " + place[1] + ")");
        }
        assertNothingSentAfterThePlacing(tenant, orderId, sent);
    }

    @Test
    void sameKey_loneSurrogateAgainstQuestionMark_isRefused_neverReplayed() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        HttpResponse<String> first = api.changeStatus(tenant, orderId, "k", "{\"status\":\"PROCESSING\",\"reason\":\"x?\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        // once hashed as "x?": answered as its replay (200, Idempotent-Replayed) instead of refused
        HttpResponse<String> lone = api.changeStatus(tenant, orderId, "k",
                "{\"status\":\"PROCESSING\",\"reason\":\"x\\ud800\"}");

        assertProblem(lone, 400, "validation");
        assertThat(lone.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void sameKey_astralCharacterAgainstQuestionMark_isAnotherRequest_422() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "place", Api.placeBody("c-1")));
        for (String reason : List.of("\\ud83d\\udce6", "\ud83d\udce6")) { // escaped, and raw UTF-8
            String key = "k-" + reason.length();
            HttpResponse<String> first = api.changeStatus(tenant, orderId, key,
                    "{\"status\":\"PENDING\",\"reason\":\"x" + reason + "\"}");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

            for (String other : List.of("x?", "x??", "x\\ufffd")) {
                assertProblem(api.changeStatus(tenant, orderId, key, "{\"status\":\"PENDING\",\"reason\":\"" + other
                        + "\"}"), 422, "idempotency-key-reused");
            }
        }
    }

    /** The order as the API reads it from the projection; fails (for Awaitility to retry) until it is there. */
    private static JsonNode projected(String tenant, String orderId) {
        HttpResponse<String> response = api.getOrder(tenant, orderId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CommandPathIT.json(response);
    }

    /** No command was sent since {@code sent} were, and the tenant has only the placed order, unchanged. */
    private static void assertNothingSentAfterThePlacing(String tenant, String orderId, int sent) {
        assertThat(commandsOf(tenant)).hasSize(sent);
        assertThat(evidence.events(tenant)).containsOnlyKeys(orderId);
        assertThat(evidence.events(tenant).get(orderId)).hasSize(1);
    }

    /** The commands the API sent for the tenant (keyed tenant/orderId). */
    private static List<ConsumerRecord<byte[], byte[]>> commandsOf(String tenant) {
        return evidence.readTopic(Topics.COMMANDS.name()).stream().filter(record -> record.key() != null
                && new String(record.key(), StandardCharsets.UTF_8).startsWith(tenant + "/")).toList();
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
