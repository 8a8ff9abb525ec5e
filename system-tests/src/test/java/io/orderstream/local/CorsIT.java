package io.orderstream.local;

import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS as a browser meets it: the configured origin ({@link TestStack#CORS_ORIGIN}) gets its
 * preflights answered on every public route and may read the idempotency headers; any other
 * origin gets not a single CORS header.
 */
class CorsIT {

    private static final String ALLOWED = TestStack.CORS_ORIGIN;
    private static final String DISALLOWED = "https://evil.example.test";

    /** Every public route, with the method a browser would ask to use on it. */
    private static final List<String[]> ROUTES = List.of(
            new String[] {"POST", "/api/v1/orders"},
            new String[] {"GET", "/api/v1/orders"},
            new String[] {"GET", "/api/v1/orders/some-order"},
            new String[] {"PUT", "/api/v1/orders/some-order/status"},
            new String[] {"GET", "/api/v1/orders/some-order/events"},
            new String[] {"GET", "/v3/api-docs"});

    private static Api api;

    @BeforeAll
    static void startStack() {
        api = TestStack.get().api;
    }

    @Test
    void preflightFromTheAllowedOrigin_isAnsweredOnEveryPublicRoute_withoutAToken() {
        for (String[] route : ROUTES) {
            HttpResponse<String> response = preflight(route[1], ALLOWED, route[0],
                    "authorization, content-type, idempotency-key");

            assertThat(response.statusCode()).as(route[1]).isEqualTo(200);
            HttpHeaders headers = response.headers();
            assertThat(headers.firstValue("Access-Control-Allow-Origin")).as(route[1]).hasValue(ALLOWED);
            assertThat(headers.firstValue("Access-Control-Allow-Methods").orElseThrow()).contains(route[0]);
            assertThat(headers.firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase(Locale.ROOT))
                    .contains("idempotency-key", "authorization", "content-type");
            assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("3600");
            assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void preflightFromAnotherOrigin_isA403Problem_withNoCorsHeaderAtAll() {
        for (String[] route : ROUTES) {
            HttpResponse<String> response = preflight(route[1], DISALLOWED, route[0], "idempotency-key");

            assertProblem(response, 403, "cors-rejected");
            assertNoCorsHeaders(response);
        }
    }

    @Test
    void preflightForAMethodOrHeaderNotAllowed_isA403Problem_withNoCorsHeaderAtAll() {
        HttpResponse<String> delete = preflight("/api/v1/orders/some-order", ALLOWED, "DELETE", null);
        HttpResponse<String> header = preflight("/api/v1/orders", ALLOWED, "POST", "x-forwarded-for");

        assertProblem(delete, 403, "cors-rejected");
        assertNoCorsHeaders(delete);
        assertProblem(header, 403, "cors-rejected");
        assertNoCorsHeaders(header);
    }

    @Test
    void commandsFromTheAllowedOrigin_exposeReplayAndLocation() {
        String tenant = TestStack.newTenant();
        HttpRequest post = api.request("/api/v1/orders").header("Origin", ALLOWED)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + api.token(tenant))
                .header("Idempotency-Key", "cors-1").POST(HttpRequest.BodyPublishers.ofString(Api.placeBody("c")))
                .build();

        HttpResponse<String> first = api.send(post);
        HttpResponse<String> replay = api.send(post);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        for (HttpResponse<String> response : List.of(first, replay)) {
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
            assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                    .contains("Idempotent-Replayed", "Location");
            assertThat(response.headers().firstValue("Location")).isPresent();
        }
    }

    @Test
    void requestFromAnotherOrigin_isA403Problem_withNoCorsHeaderAtAll_andNotServed() {
        String tenant = TestStack.newTenant();
        HttpResponse<String> response = api.send(api.request("/api/v1/orders").header("Origin", DISALLOWED)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + api.token(tenant))
                .header("Idempotency-Key", "cors-2").POST(HttpRequest.BodyPublishers.ofString(Api.placeBody("c")))
                .build());

        assertProblem(response, 403, "cors-rejected");
        assertNoCorsHeaders(response);
        assertThat(CommandPathIT.json(api.send(api.request("/api/v1/orders")
                .header("Authorization", "Bearer " + api.token(tenant)).GET().build())).get("items").isEmpty())
                .isTrue();
    }

    @Test
    void requestWithoutOrigin_isNotTouchedByCors() {
        HttpResponse<String> response = api.send(api.request("/v3/api-docs").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertNoCorsHeaders(response);
    }

    private static HttpResponse<String> preflight(String path, String origin, String method, String headers) {
        HttpRequest.Builder request = api.request(path).header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return api.send(request.build());
    }

    private static void assertNoCorsHeaders(HttpResponse<String> response) {
        assertThat(response.headers().map().keySet())
                .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
    }
}
