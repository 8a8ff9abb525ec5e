package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StorefrontTest {

    private final Storefront shop = new Storefront("http://localhost:1", Map.of("shop-1", "t1", "shop-2", "t2"), 7);

    @Test
    void aFifthOfRequests_areCopiesOfEarlierOnes_withTheirKeyAndBody() {
        Map<String, String> bodies = new HashMap<>();
        int copies = 0;
        for (int i = 0; i < 10_000; i++) {
            HttpLoad.Call call = shop.next();
            Sent request = Sent.of(call);
            String key = request.key();
            String body = request.method() + " " + request.path() + " " + request.body();
            if (bodies.containsKey(key)) {
                copies++;
                assertThat(bodies.get(key)).isEqualTo(body);
            }
            bodies.put(key, body);
            call.answered(201, NO_HEADERS);
        }
        assertThat(copies / 10_000.0).isBetween(0.18, 0.22);
        assertThat(shop.distinctRequests()).isEqualTo(10_000 - copies);
    }

    @Test
    void statusChanges_goOnlyToOrdersWhosePlacementWasApplied_inTheStateMachinesOrder() {
        Set<String> placed = new HashSet<>();
        Map<String, Set<String>> changes = new HashMap<>(); // order → keys of its status changes
        for (int i = 0; i < 5_000; i++) {
            HttpLoad.Call call = shop.next();
            Sent request = Sent.of(call);
            String path = request.path();
            if (request.method().equals("PUT")) {
                String orderId = path.split("/")[4];
                assertThat(placed).contains(orderId);
                changes.computeIfAbsent(orderId, id -> new HashSet<>())
                        .add(request.key());
            }
            // every third placement answered 202: its order must get no status change
            boolean accepted = request.method().equals("POST") && i % 3 == 0;
            call.answered(accepted ? 202 : request.method().equals("POST") ? 201 : 200, NO_HEADERS);
            if (request.method().equals("POST") && !accepted) {
                placed.add(shop.request(request.key()).orderId());
            }
        }
        assertThat(changes).isNotEmpty();
        // PENDING → PROCESSING → SHIPPED → DELIVERED: at most three changes per order
        changes.values().forEach(keys -> assertThat(keys.size()).isLessThanOrEqualTo(3));
    }

    @Test
    void aDefiniteAnswer_isKept_andOnlyUnansweredKeysAreResentForTheAudit() {
        HttpLoad.Call first = shop.next();
        HttpLoad.Call second = shop.next();
        first.answered(201, NO_HEADERS);
        second.answered(0, null); // the connection reset
        String firstKey = Sent.of(first).key();
        String secondKey = Sent.of(second).key();

        HttpLoad.Call again = shop.resend(shop.unresolved().get(0));
        assertThat(again.wire()).isEqualTo(second.wire()); // the same bytes: key, body, token
        again.answered(202, NO_HEADERS);
        assertThat(shop.unresolved()).extracting(Storefront.Request::key).containsExactly(secondKey);
        first.answered(202, NO_HEADERS); // a later copy's 202 changes nothing

        Map<String, Integer> finals = shop.finalStatusByKey();
        assertThat(finals).containsValue(201).hasSize(2);
        assertThat(finals.entrySet()).anyMatch(e -> e.getKey().endsWith("/" + firstKey) && e.getValue() == 201);
        assertThat(finals.entrySet()).anyMatch(e -> e.getKey().endsWith("/" + secondKey) && e.getValue() == 0);
    }

    @Test
    void requestsOnTheWire_areHttp11WithTheTenantsToken_andRepliesAreCounted() {
        HttpLoad.Call call = shop.next();
        Sent sent = Sent.of(call);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/orders");
        assertThat(sent.headers().get("Authorization")).isIn("Bearer t1", "Bearer t2");
        assertThat(sent.headers().get("Host")).isEqualTo("localhost:1");
        assertThat(sent.body()).startsWith("{\"orderId\":\"").contains("\"currency\":\"EUR\"");

        call.answered(200, new DefaultHttpHeaders().add("Idempotent-Replayed", "true"));
        assertThat(shop.replays()).isEqualTo(1);
    }

    @Test
    void requestsSentByWrk_joinTheAudit_withTheirAnswers() {
        shop.sentElsewhere(new Storefront.Request("shop-1", "bench-x-w1-1", "POST", "/api/v1/orders", "{}", "o-1", 0),
                false);
        shop.sentElsewhere(new Storefront.Request("shop-1", "bench-x-w1-1", "POST", "/api/v1/orders", "{}", "o-1", 0),
                true);
        shop.sentElsewhere(new Storefront.Request("shop-2", "bench-x-w2-1", "POST", "/api/v1/orders", "{}", "o-2", 0),
                false);
        shop.answeredElsewhere("bench-x-w1-1", 201, false);
        shop.answeredElsewhere("bench-x-w1-1", 200, true);

        assertThat(shop.finalStatusByKey()).containsEntry("shop-1/bench-x-w1-1", 201)
                .containsEntry("shop-2/bench-x-w2-1", 0);
        assertThat(shop.duplicatesSent()).isEqualTo(1);
        assertThat(shop.replays()).isEqualTo(1);
        assertThat(shop.unresolved()).extracting(Storefront.Request::key).containsExactly("bench-x-w2-1");
    }

    private static final HttpHeaders NO_HEADERS = new DefaultHttpHeaders();

    /** A request as a server reads it: the driver's bytes through Netty's own HTTP request decoder. */
    record Sent(String method, String path, Map<String, String> headers, String body) {

        static Sent of(HttpLoad.Call call) {
            EmbeddedChannel server = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 16));
            server.writeInbound(Unpooled.wrappedBuffer(call.wire()));
            FullHttpRequest request = server.readInbound();
            assertThat(request.decoderResult().isSuccess()).isTrue();
            assertThat(request.protocolVersion().text()).isEqualTo("HTTP/1.1");
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            Sent sent = new Sent(request.method().name(), request.uri(), headers,
                    request.content().toString(StandardCharsets.UTF_8));
            request.release();
            server.finishAndReleaseAll();
            return sent;
        }

        String key() {
            return headers.get("Idempotency-Key");
        }
    }
}
