package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class StorefrontTest {

    private final Storefront shop = new Storefront("http://localhost:1", Map.of("shop-1", "t1", "shop-2", "t2"), 7);

    @Test
    void aFifthOfRequests_areCopiesOfEarlierOnes_withTheirKeyAndBody() {
        Map<String, String> bodies = new HashMap<>();
        int copies = 0;
        for (int i = 0; i < 10_000; i++) {
            OpenLoopDriver.Call call = shop.next();
            HttpRequest request = call.request();
            String key = request.headers().firstValue("Idempotency-Key").orElseThrow();
            String body = request.method() + " " + request.uri().getPath();
            if (bodies.containsKey(key)) {
                copies++;
                assertThat(bodies.get(key)).isEqualTo(body);
            }
            bodies.put(key, body);
            call.answered(response(request, 201), null);
        }
        assertThat(copies / 10_000.0).isBetween(0.18, 0.22);
        assertThat(shop.distinctRequests()).isEqualTo(10_000 - copies);
    }

    @Test
    void statusChanges_goOnlyToOrdersWhosePlacementWasApplied_inTheStateMachinesOrder() {
        Set<String> placed = new HashSet<>();
        Map<String, Set<String>> changes = new HashMap<>(); // order → keys of its status changes
        for (int i = 0; i < 5_000; i++) {
            OpenLoopDriver.Call call = shop.next();
            HttpRequest request = call.request();
            String path = request.uri().getPath();
            if (request.method().equals("PUT")) {
                String orderId = path.split("/")[4];
                assertThat(placed).contains(orderId);
                changes.computeIfAbsent(orderId, id -> new HashSet<>())
                        .add(request.headers().firstValue("Idempotency-Key").orElseThrow());
            }
            // every third placement answered 202: its order must get no status change
            boolean accepted = request.method().equals("POST") && i % 3 == 0;
            call.answered(response(request, accepted ? 202 : request.method().equals("POST") ? 201 : 200), null);
            if (request.method().equals("POST") && !accepted) {
                placed.add(shop.request(request.headers().firstValue("Idempotency-Key").orElseThrow()).orderId());
            }
        }
        assertThat(changes).isNotEmpty();
        // PENDING → PROCESSING → SHIPPED → DELIVERED: at most three changes per order
        changes.values().forEach(keys -> assertThat(keys.size()).isLessThanOrEqualTo(3));
    }

    @Test
    void aDefiniteAnswer_isKept_andOnlyUnansweredKeysAreResentForTheAudit() {
        OpenLoopDriver.Call first = shop.next();
        OpenLoopDriver.Call second = shop.next();
        first.answered(response(first.request(), 201), null);
        second.answered(null, new java.io.IOException("reset"));
        String firstKey = first.request().headers().firstValue("Idempotency-Key").orElseThrow();
        String secondKey = second.request().headers().firstValue("Idempotency-Key").orElseThrow();

        shop.resend(shop.unresolved().get(0)).answered(response(second.request(), 202), null);
        assertThat(shop.unresolved()).extracting(Storefront.Request::key).containsExactly(secondKey);
        first.answered(response(first.request(), 202), null); // a later copy's 202 changes nothing

        Map<String, Integer> finals = shop.finalStatusByKey();
        assertThat(finals).containsValue(201).hasSize(2);
        assertThat(finals.entrySet()).anyMatch(e -> e.getKey().endsWith("/" + firstKey) && e.getValue() == 201);
        assertThat(finals.entrySet()).anyMatch(e -> e.getKey().endsWith("/" + secondKey) && e.getValue() == 0);
    }

    private static HttpResponse<Void> response(HttpRequest request, int status) {
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return request;
            }

            @Override
            public Optional<HttpResponse<Void>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of(), (a, b) -> true);
            }

            @Override
            public Void body() {
                return null;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return request.uri();
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
