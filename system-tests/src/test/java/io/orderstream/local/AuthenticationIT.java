package io.orderstream.local;

import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Bearer JWTs on the real API: 401 for no valid token, 403 for no tenant, always a problem, never logged. */
class AuthenticationIT {

    private static TestStack stack;
    private static Api api;
    private static ListAppender<ILoggingEvent> logs;
    private static final List<String> TOKENS_SENT = new ArrayList<>();

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        api = stack.api;
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
    }

    @AfterAll
    static void detachLogs() {
        root().detachAppender(logs);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void everyEndpointWithoutToken_is401Problem_withBearerChallenge() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(api.placeOrder(tenant, "k1", Api.placeBody("c-1")));
        List<HttpRequest> requests = List.of(
                api.request("/api/v1/orders").GET().build(),
                api.request("/api/v1/orders/" + orderId).GET().build(),
                api.request("/api/v1/orders/" + orderId + "/events").GET().build(),
                api.request("/api/v1/orders").header("Content-Type", "application/json")
                        .header("Idempotency-Key", "k2").POST(HttpRequest.BodyPublishers.ofString(Api.placeBody("c")))
                        .build(),
                api.request("/api/v1/orders/" + orderId + "/status").header("Content-Type", "application/json")
                        .header("Idempotency-Key", "k3")
                        .PUT(HttpRequest.BodyPublishers.ofString(Api.statusBody("CANCELED"))).build());

        for (HttpRequest request : requests) {
            HttpResponse<String> response = api.send(request);

            assertProblem(response, 401, "unauthenticated");
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(request.uri().toString())
                    .hasValue("Bearer");
        }
        // nothing was refused by mistake: with a token the order is there (once projected)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.getOrder(tenant, orderId).statusCode()).isEqualTo(200));
    }

    @Test
    void expiredToken_is401Problem_oncePastTheClockSkew() {
        // the default clock skew is 5 s; Spring Security's own default of 60 s admitted all but the last.
        // Issued an hour before it expired, as a real token is (one issued after its expiry is refused
        // whatever the skew, so it would not show the skew)
        for (Duration ago : List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(55),
                Duration.ofHours(1))) {
            Instant expiry = Instant.now().minus(ago);
            String expired = DevTokens.sign(stack.jwtSecret, new JWTClaimsSet.Builder().subject("someone")
                    .claim("tenant", TestStack.newTenant()).issueTime(Date.from(expiry.minus(Duration.ofHours(1))))
                    .expirationTime(Date.from(expiry)).build());

            assertInvalidToken(list(expired));
        }
    }

    @Test
    void malformedTokens_are401Problems() {
        for (String malformed : List.of("abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJ0ZW5hbnQiOiJ4In0", "...",
                "eyJhbGciOiJIUzI1NiJ9.eyJ0ZW5hbnQiOiJ4In0.!!!!", "x".repeat(4000))) {
            assertInvalidToken(list(malformed));
        }
        for (String header : List.of("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc")) {
            HttpResponse<String> response = api.send(api.request("/api/v1/orders").header("Authorization", header)
                    .GET().build());
            assertProblem(response, 401, "unauthenticated");
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void tokenSignedWithAnotherSecret_is401Problem() {
        String forged = DevTokens.mint("another-secret-of-at-least-32-bytes-long!", TestStack.newTenant(),
                Duration.ofHours(1));

        assertInvalidToken(list(forged));
    }

    @Test
    void unsignedToken_withAlgNone_is401Problem() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(("{\"tenant\":\"" + TestStack.newTenant() + "\",\"exp\":"
                + Instant.now().plusSeconds(3600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));

        assertInvalidToken(list(header + "." + claims + "."));
    }

    @Test
    void tokenThatNeverExpires_is401Problem() {
        String noExpiry = DevTokens.sign(stack.jwtSecret, new JWTClaimsSet.Builder().subject("someone")
                .claim("tenant", TestStack.newTenant()).issueTime(new Date()).build());

        assertInvalidToken(list(noExpiry));
    }

    @Test
    void validTokenWithoutAValidTenantClaim_is403Problem() {
        Date expiry = Date.from(Instant.now().plusSeconds(3600));
        List<JWTClaimsSet> withoutTenant = List.of(
                new JWTClaimsSet.Builder().subject("someone").expirationTime(expiry).build(),
                new JWTClaimsSet.Builder().claim("tenant", "acme/other").expirationTime(expiry).build(),
                new JWTClaimsSet.Builder().claim("tenant", "").expirationTime(expiry).build(),
                new JWTClaimsSet.Builder().claim("tenant", 42).expirationTime(expiry).build(),
                new JWTClaimsSet.Builder().claim("tenant", List.of("acme")).expirationTime(expiry).build(),
                new JWTClaimsSet.Builder().claim("tenant", Map.of("id", "acme")).expirationTime(expiry).build());

        for (JWTClaimsSet claims : withoutTenant) {
            String token = DevTokens.sign(stack.jwtSecret, claims);
            HttpResponse<String> read = list(token);
            HttpResponse<String> write = api.send(api.request("/api/v1/orders")
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "k").POST(HttpRequest.BodyPublishers.ofString(Api.placeBody("c")))
                    .build());

            assertProblem(read, 403, "forbidden");
            assertProblem(write, 403, "forbidden");
            assertThat(read.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
    }

    @Test
    void validToken_withTenant_isAdmitted() {
        HttpResponse<String> response = list(api.token(TestStack.newTenant()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(CommandPathIT.json(response).get("items").isEmpty()).isTrue();
    }

    /** Runs after the others in this class only by chance; it sends its own tokens so it stands alone. */
    @Test
    void tokens_areNeverLogged_whateverIsWrongWithThem() {
        list(DevTokens.mint(stack.jwtSecret, TestStack.newTenant(), Duration.ofHours(-1)));
        list(DevTokens.mint("another-secret-of-at-least-32-bytes-long!", "t1", Duration.ofHours(1)));
        list("not-a-token-" + "x".repeat(64));
        list(api.token(TestStack.newTenant()));

        assertThat(TOKENS_SENT).isNotEmpty();
        List<String> logged;
        synchronized (logs) {
            logged = logs.list.stream().map(event -> event.getFormattedMessage() + " "
                    + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage())).toList();
        }
        for (String token : TOKENS_SENT) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(logged).noneMatch(line -> line.contains(token)
                    || (signature.length() > 16 && line.contains(signature)));
        }
    }

    private static HttpResponse<String> list(String token) {
        synchronized (TOKENS_SENT) {
            TOKENS_SENT.add(token);
        }
        return api.send(api.request("/api/v1/orders").header("Authorization", "Bearer " + token).GET().build());
    }

    private static void assertInvalidToken(HttpResponse<String> response) {
        assertProblem(response, 401, "unauthenticated");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        // the same answer whatever is wrong: no oracle for forgers
        assertThat(CommandPathIT.json(response).get("detail").asString())
                .isEqualTo("A valid bearer token is required (Authorization: Bearer <JWT>).");
    }
}
