package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jwt.JWTClaimsSet;
import io.orderstream.events.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Generated bad requests against the real API, from a fixed seed so that a failure repeats: random
 * and truncated bodies, invalid UTF-8, wrong content types, absurd idempotency keys, forged and
 * expired tokens, traversal in ids, huge and duplicate headers, oversized bodies, wrong methods
 * and query parameters. Every answer must be a 4xx problem, none a 5xx, nothing may change, and
 * the service must be healthy afterwards.
 */
class FuzzIT {

    private static final long SEED = 0x5EED_0005L;
    private static final int REQUESTS = 1_300;
    private static final String VALID_BODY = Api.placeBody("fuzz");

    private final Random random = new Random(SEED);
    private TestStack stack;
    private String tenant;
    private String token;

    private record Case(String kind, byte[] request) {
    }

    @Test
    void generatedBadRequests_areAll4xxProblems_noneA5xx_andTheServiceStaysHealthy() {
        stack = TestStack.get();
        tenant = TestStack.newTenant();
        token = stack.api.token(tenant);
        RawHttp raw = new RawHttp(stack.services.apiPort());
        List<Supplier<Case>> generators = List.of(this::randomBody, this::truncatedBody, this::invalidUtf8,
                this::wrongContentType, this::absurdKey, this::forgedToken, this::traversalInId, this::hugeHeaders,
                this::duplicateHeaders, this::badQuery, this::wrongMethod, this::oversizedBody, this::absurdJson,
                this::foreignOrigin);
        Map<Integer, Integer> perStatus = new TreeMap<>();
        Map<String, Map<Integer, Integer>> perKind = new TreeMap<>();
        List<String> failures = new ArrayList<>();

        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
            for (int i = 0; i < REQUESTS; i++) {
                Case sent = generators.get(i % generators.size()).get();
                RawHttp.Response answer = raw.send(sent.request());
                perStatus.merge(answer.status(), 1, Integer::sum);
                perKind.computeIfAbsent(sent.kind(), kind -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
                String wrong = notAProblem(answer);
                if (wrong != null && failures.size() < 20) {
                    failures.add("#" + i + " " + sent.kind() + ": " + wrong + " for "
                            + new String(sent.request(), 0, Math.min(300, sent.request().length),
                                    StandardCharsets.ISO_8859_1));
                }
            }
        });

        System.out.printf("FuzzIT (seed %d): %d bad requests in %d ms, answers per status %s%n", SEED, REQUESTS,
                (System.nanoTime() - started) / 1_000_000, perStatus);
        perKind.forEach((kind, statuses) -> System.out.printf("  %-18s %s%n", kind, statuses));
        assertThat(failures).isEmpty();
        assertThat(perStatus.keySet()).allMatch(status -> status >= 400 && status < 500);
        assertThat(perStatus.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        assertHealthyAndUnchanged();
    }

    /** Null when the answer is a 4xx problem whose body agrees with its status; else what is wrong. */
    private static String notAProblem(RawHttp.Response answer) {
        if (answer.status() < 400 || answer.status() >= 500) {
            return "status " + answer.status() + " " + answer.text();
        }
        String type = answer.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return "content type " + type + " with status " + answer.status();
        }
        try {
            JsonNode problem = answer.json();
            if (!problem.path("type").asString("").startsWith(Problems.TYPE_BASE)
                    || problem.path("status").asInt() != answer.status() || problem.path("title").asString("").isEmpty()) {
                return "problem body " + answer.text();
            }
        } catch (RuntimeException unreadable) {
            return "unreadable problem body " + answer.text();
        }
        return null;
    }

    private void assertHealthyAndUnchanged() {
        HttpResponse<String> health = stack.api.send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + stack.services.apiManagementPort() + "/actuator/health")).GET().build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
        assertThat(new Evidence(stack).events(tenant)).as("no bad request changed anything").isEmpty();
        HttpResponse<String> placed = stack.api.placeOrder(tenant, "after-fuzz", VALID_BODY);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    }

    // --- generators: each returns a request that must be refused --------------------------------------

    private Case randomBody() {
        byte[] body = random.nextBoolean() ? bytes(random.nextInt(2_000)) : jsonish(1 + random.nextInt(400));
        return post("random-body", jsonHeaders(key()), body);
    }

    private Case truncatedBody() {
        byte[] body = VALID_BODY.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[random.nextInt(body.length)]; // a strict prefix of a JSON object is never JSON
        System.arraycopy(body, 0, prefix, 0, prefix.length);
        return post("truncated-body", jsonHeaders(key()), prefix);
    }

    private Case invalidUtf8() {
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0x80}, {(byte) 0xC3, '('}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};
        byte[] bad = invalid[random.nextInt(invalid.length)];
        int where = random.nextInt(3);
        if (where == 0) { // in the body, inside a string
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"customerId\":\"c".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes(VALID_BODY.substring(VALID_BODY.indexOf("\",")).getBytes(StandardCharsets.UTF_8));
            return post("invalid-utf8", jsonHeaders(key()), body.toByteArray());
        }
        if (where == 1) { // in the idempotency key
            List<byte[]> headers = jsonHeaders(null);
            headers.add(concat("Idempotency-Key: k".getBytes(StandardCharsets.ISO_8859_1), bad));
            return post("invalid-utf8", headers, VALID_BODY.getBytes(StandardCharsets.UTF_8));
        }
        // in the path
        byte[] target = concat("/api/v1/orders/o".getBytes(StandardCharsets.ISO_8859_1), bad);
        return new Case("invalid-utf8", RawHttp.request("GET", target, authorized(new ArrayList<>()), new byte[0]));
    }

    private Case wrongContentType() {
        String[] types = {"text/plain", "application/xml", "text/html", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/octet-stream", "", "json", "application/", "%%%",
            "application/json-seq", "image/png", "text/json", "application/problem+json", null};
        String type = types[random.nextInt(types.length)];
        List<byte[]> headers = authorized(new ArrayList<>());
        headers.add(RawHttp.header("Idempotency-Key", key()));
        if (type != null) {
            headers.add(RawHttp.header("Content-Type", type));
        }
        boolean put = random.nextBoolean();
        return put ? body("wrong-content-type", "PUT", "/api/v1/orders/o-1/status", headers,
                Api.statusBody("SHIPPED").getBytes(StandardCharsets.UTF_8))
                : post("wrong-content-type", headers, VALID_BODY.getBytes(StandardCharsets.UTF_8));
    }

    private Case absurdKey() {
        List<byte[]> headers = jsonHeaders(null);
        switch (random.nextInt(8)) {
            case 0 -> headers.add(RawHttp.header("Idempotency-Key", ""));
            case 1 -> headers.add(RawHttp.header("Idempotency-Key", printable(256 + random.nextInt(3_000))));
            case 2 -> headers.add(RawHttp.header("Idempotency-Key", printable(9_000 + random.nextInt(20_000))));
            case 3 -> headers.add(RawHttp.header("Idempotency-Key", "k" + control() + "k"));
            case 4 -> headers.add(RawHttp.header("Idempotency-Key", "k\u007fk"));
            case 5 -> {
                headers.add(RawHttp.header("Idempotency-Key", key()));
                headers.add(RawHttp.header("Idempotency-Key", key()));
            }
            case 6 -> headers.add(RawHttp.header("Idempotency-Key", " ".repeat(1 + random.nextInt(10))));
            default -> { } // none at all
        }
        return post("absurd-key", headers, VALID_BODY.getBytes(StandardCharsets.UTF_8));
    }

    private Case forgedToken() {
        String authorization = switch (random.nextInt(10)) {
            case 0 -> "Bearer " + base64(20) + "." + base64(60) + "." + base64(43);
            case 1 -> "Bearer " + unsigned();
            case 2 -> "Bearer " + DevTokens.mint("not-the-secret-but-32-bytes-long-anyway", tenant, Duration.ofHours(1));
            case 3 -> "Bearer " + DevTokens.mint(stack.jwtSecret, tenant, Duration.ofMinutes(-5 - random.nextInt(600)));
            case 4 -> "Bearer " + DevTokens.sign(stack.jwtSecret, new JWTClaimsSet.Builder().claim("tenant", tenant)
                    .build());
            case 5 -> "Bearer " + retenanted();
            case 6 -> "Bearer " + DevTokens.mint(stack.jwtSecret, null, Duration.ofHours(1)); // no tenant: 403
            case 7 -> "Bearer " + printable(7_000);
            case 8 -> "Basic " + base64(24);
            default -> "Bearer";
        };
        List<byte[]> headers = new ArrayList<>();
        headers.add(RawHttp.header("Authorization", authorization));
        if (random.nextBoolean()) {
            return new Case("forged-token", RawHttp.request("GET", "/api/v1/orders/o-" + random.nextInt(100),
                    headers, new byte[0]));
        }
        headers.add(RawHttp.header("Content-Type", "application/json"));
        headers.add(RawHttp.header("Idempotency-Key", key()));
        return post("forged-token", headers, VALID_BODY.getBytes(StandardCharsets.UTF_8));
    }

    private Case traversalInId() {
        String[] ids = {"..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/actuator/health",
            "..;/..;/actuator/env", "%00", "x%00y", "%c0%ae%c0%ae/", "..\\..\\windows", "%252e%252e%252f",
            "a/../../../actuator/health", ".", "%2e", "~root", "%ff%fe", "x%0d%0aSet-Cookie:%20a=b",
            "%24%7Bjndi:ldap://x/a%7D", "'%20OR%201=1%20--", "%E2%80%AE", "o-1/../../orders", "/etc/passwd",
            "x".repeat(65), "%2F", "%5C", "o-1;jsessionid=x"};
        String id = ids[random.nextInt(ids.length)];
        List<byte[]> headers = authorized(new ArrayList<>());
        return switch (random.nextInt(3)) {
            case 0 -> new Case("traversal-in-id", RawHttp.request("GET", "/api/v1/orders/" + id, headers, new byte[0]));
            case 1 -> new Case("traversal-in-id", RawHttp.request("GET", "/api/v1/orders/" + id + "/events", headers,
                    new byte[0]));
            default -> {
                headers.add(RawHttp.header("Content-Type", "application/json"));
                headers.add(RawHttp.header("Idempotency-Key", key()));
                yield body("traversal-in-id", "PUT", "/api/v1/orders/" + id + "/status", headers,
                        Api.statusBody("CANCELED").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private Case hugeHeaders() {
        List<byte[]> headers = authorized(new ArrayList<>());
        switch (random.nextInt(3)) {
            case 0 -> headers.add(RawHttp.header("X-Huge", printable(9_000 + random.nextInt(40_000))));
            case 1 -> {
                for (int i = 0; i < 101 + random.nextInt(400); i++) {
                    headers.add(RawHttp.header("X-Many-" + i, "v"));
                }
            }
            default -> {
                return new Case("huge-headers", RawHttp.request("GET", "/api/v1/orders?cursor="
                        + printable(9_000 + random.nextInt(10_000)).replaceAll("[^A-Za-z0-9]", "a"), headers,
                        new byte[0]));
            }
        }
        return new Case("huge-headers", RawHttp.request("GET", "/api/v1/orders", headers, new byte[0]));
    }

    private Case duplicateHeaders() {
        byte[] body = VALID_BODY.getBytes(StandardCharsets.UTF_8);
        List<byte[]> headers = authorized(new ArrayList<>());
        headers.add(RawHttp.header("Content-Type", "application/json"));
        switch (random.nextInt(4)) {
            case 0 -> {
                headers.add(RawHttp.header("Idempotency-Key", "dup-a"));
                headers.add(RawHttp.header("Idempotency-Key", random.nextBoolean() ? "dup-a" : "dup-b"));
                headers.add(RawHttp.header("Content-Length", Integer.toString(body.length)));
            }
            case 1 -> {
                headers.add(RawHttp.header("Idempotency-Key", key()));
                headers.add(RawHttp.header("Content-Length", Integer.toString(body.length)));
                headers.add(RawHttp.header("Content-Length", Integer.toString(body.length + 1 + random.nextInt(9))));
            }
            case 2 -> {
                headers.add(RawHttp.header("Idempotency-Key", key()));
                headers.add(RawHttp.header("Host", "elsewhere.example"));
                headers.add(RawHttp.header("Content-Length", Integer.toString(body.length)));
            }
            default -> {
                headers.add(RawHttp.header("Idempotency-Key", key()));
                headers.add(RawHttp.header("Content-Length", Integer.toString(body.length)));
                headers.add(RawHttp.header("Transfer-Encoding", "chunked"));
                body = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return new Case("duplicate-headers", RawHttp.request("POST", "/api/v1/orders", headers, body));
    }

    private Case badQuery() {
        String[] limits = {"0", "-1", "101", "1000000", "abc", "1.5", "1e2", "", "0x10", "2147483648", "%2B5"};
        String query = switch (random.nextInt(3)) {
            case 0 -> "limit=" + limits[random.nextInt(limits.length)];
            case 1 -> "status=" + lowercase(1 + random.nextInt(12));
            default -> "cursor=" + base64(1 + random.nextInt(300));
        };
        return new Case("bad-query", RawHttp.request("GET", "/api/v1/orders?" + query,
                authorized(new ArrayList<>()), new byte[0]));
    }

    private Case wrongMethod() {
        String[] methods = {"DELETE", "PATCH", "TRACE", "FOO", "PROPFIND", "post"};
        String[] paths = {"/api/v1/orders", "/api/v1/orders/o-1", "/api/v1/orders/o-1/status",
            "/api/v1/orders/o-1/events"};
        String method = methods[random.nextInt(methods.length)];
        String path = paths[random.nextInt(paths.length)];
        if (method.equals("DELETE") || method.equals("PATCH") || method.equals("post")) {
            return body("wrong-method", method, path, jsonHeaders(key()), VALID_BODY.getBytes(StandardCharsets.UTF_8));
        }
        return new Case("wrong-method", RawHttp.request(method, path, authorized(new ArrayList<>()), new byte[0]));
    }

    private Case oversizedBody() {
        List<byte[]> headers = jsonHeaders(key());
        switch (random.nextInt(3)) {
            case 0 -> { // announced, not sent
                headers.add(RawHttp.header("Content-Length", Long.toString(65_537L + random.nextInt(1_000_000_000))));
                return new Case("oversized-body", RawHttp.request("POST", "/api/v1/orders", headers,
                        "{\"customerId\":\"".getBytes(StandardCharsets.UTF_8)));
            }
            case 1 -> { // streamed, chunked
                headers.add(RawHttp.header("Transfer-Encoding", "chunked"));
                byte[] payload = ("{\"customerId\":\"" + "x".repeat(65_540 + random.nextInt(20_000)) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                return new Case("oversized-body", RawHttp.request("POST", "/api/v1/orders", headers,
                        concat((Integer.toHexString(payload.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1),
                                payload, "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))));
            }
            default -> { // a length that is no length
                String[] lengths = {"-1", "abc", "99999999999999999999", "1 2", "0x10"};
                headers.add(RawHttp.header("Content-Length", lengths[random.nextInt(lengths.length)]));
                return new Case("oversized-body", RawHttp.request("POST", "/api/v1/orders", headers,
                        VALID_BODY.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private Case absurdJson() {
        String body = switch (random.nextInt(5)) {
            case 0 -> "[".repeat(10_000 + random.nextInt(50_000));
            case 1 -> VALID_BODY.replace("\"quantity\":2", "\"quantity\":1e400");
            case 2 -> VALID_BODY.replace("\"quantity\":2", "\"quantity\":" + "9".repeat(20 + random.nextInt(2_000)));
            case 3 -> VALID_BODY.replace("\"fuzz\"", "\"" + printable(256 + random.nextInt(60_000))
                    .replace("\\", "x").replace("\"", "x") + "\"");
            default -> VALID_BODY.replace("\"unitPriceMinor\":1250", "\"unitPriceMinor\":" + Long.MAX_VALUE)
                    .replace("\"quantity\":2", "\"quantity\":3");
        };
        return post("absurd-json", jsonHeaders(key()), body.getBytes(StandardCharsets.UTF_8));
    }

    private Case foreignOrigin() {
        List<byte[]> headers = jsonHeaders(key());
        headers.add(RawHttp.header("Origin", "https://" + lowercase(3 + random.nextInt(10)) + ".example"));
        if (random.nextBoolean()) {
            headers.add(RawHttp.header("Access-Control-Request-Method", "POST"));
            return new Case("foreign-origin", RawHttp.request("OPTIONS", "/api/v1/orders", headers, new byte[0]));
        }
        return post("foreign-origin", headers, VALID_BODY.getBytes(StandardCharsets.UTF_8));
    }

    // --- building blocks ------------------------------------------------------------------------------

    private Case post(String kind, List<byte[]> headers, byte[] body) {
        return body(kind, "POST", "/api/v1/orders", headers, body);
    }

    private static Case body(String kind, String method, String path, List<byte[]> headers, byte[] body) {
        List<byte[]> all = new ArrayList<>(headers);
        all.add(RawHttp.header("Content-Length", Integer.toString(body.length)));
        return new Case(kind, RawHttp.request(method, path, all, body));
    }

    /** Authorization with a valid token, Content-Type JSON, and the key unless null. */
    private List<byte[]> jsonHeaders(String key) {
        List<byte[]> headers = authorized(new ArrayList<>());
        headers.add(RawHttp.header("Content-Type", "application/json"));
        if (key != null) {
            headers.add(RawHttp.header("Idempotency-Key", key));
        }
        return headers;
    }

    private List<byte[]> authorized(List<byte[]> headers) {
        headers.add(RawHttp.header("Authorization", "Bearer " + token));
        return headers;
    }

    /** A fresh valid key: where a request were accepted, it would create an order and fail the test. */
    private String key() {
        return "fuzz-" + Long.toHexString(random.nextLong());
    }

    private String unsigned() {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(("{\"tenant\":\"" + tenant + "\",\"exp\":4102444800}")
                        .getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** A valid token of another tenant whose claims are swapped for ours: the signature no longer fits. */
    private String retenanted() {
        String other = DevTokens.sign(stack.jwtSecret, new JWTClaimsSet.Builder().claim("tenant", "other")
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        String[] parts = other.split("\\.");
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(Map.of("tenant", tenant,
                "exp", 4102444800L)));
        return parts[0] + "." + claims + "." + parts[2];
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Text of JSON's punctuation and a few literals: never a valid order (no field name can form). */
    private byte[] jsonish(int n) {
        String alphabet = "{}[]\":,0123456789 -.etruflasn";
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String printable(int n) {
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append((char) (0x21 + random.nextInt(0x7e - 0x21 + 1)));
        }
        return text.toString();
    }

    /** A control character that keeps the header on its line (no CR, no LF). */
    private char control() {
        char c;
        do {
            c = (char) (1 + random.nextInt(31));
        } while (c == '\r' || c == '\n');
        return c;
    }

    private String lowercase(int n) {
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private String base64(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
