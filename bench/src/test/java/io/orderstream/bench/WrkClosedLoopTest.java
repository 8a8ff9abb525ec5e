package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrkClosedLoopTest {

    @TempDir
    Path dir;

    @Test
    void theSummaryAndTheThreadsLogs_becomeAMeasurementAndJoinTheStorefront() throws Exception {
        Files.writeString(dir.resolve("wrk-1.log"), String.join("\n",
                "S\tk-1\t0\tshop-1\tPOST\t/api/v1/orders\to-1\t0\t{\"orderId\":\"o-1\"}",
                "R\tk-1\t201\t0",
                "S\tk-1\t1\tshop-1\tPOST\t/api/v1/orders\to-1\t0\t{\"orderId\":\"o-1\"}",
                "R\tk-1\t200\t1",
                "S\tk-2\t0\tshop-1\tPUT\t/api/v1/orders/o-1/status\to-1\t1\t{\"status\":\"PROCESSING\"}",
                "R\tk-2\t503\t0",
                "S\tk-3\t0\tshop-2\tPOST\t/api/v1/orders\to-3\t0\t{}", "")); // in flight when wrk stopped
        Storefront shop = new Storefront("http://localhost:1", Map.of("shop-1", "t1", "shop-2", "t2"), 1);

        Map<Integer, Long> statuses = WrkClosedLoop.absorb(dir, shop);
        Measurement m = WrkClosedLoop.measurement("Order Stream", 2,
                "WRK\t2000000\t4\t0\t1\t0\t0\t1500\t9000\t12000\t15000", statuses);

        assertThat(statuses).containsOnly(Map.entry(200, 1L), Map.entry(201, 1L), Map.entry(503, 1L));
        assertThat(m.completed()).isEqualTo(2);
        assertThat(m.throughput()).isEqualTo(1.0);
        assertThat(m.errorKinds()).containsOnly(Map.entry("503", 1L), Map.entry("read", 1L));
        assertThat(m.p50Ms()).isEqualTo(1.5);
        assertThat(m.p999Ms()).isEqualTo(12.0);
        assertThat(shop.finalStatusByKey()).containsOnly(Map.entry("shop-1/k-1", 201), Map.entry("shop-1/k-2", 0),
                Map.entry("shop-2/k-3", 0));
        assertThat(shop.duplicatesSent()).isEqualTo(1);
        assertThat(shop.replays()).isEqualTo(1);
        assertThat(shop.unresolved()).extracting(Storefront.Request::key).containsExactlyInAnyOrder("k-2", "k-3");
    }

    /** wrk and the Lua storefront against a server that keeps the API's rules for keys and orders. */
    @Test
    void theLuaStorefront_sendsTheMix_andOnlyMovesOrdersThatWerePlaced() throws Exception {
        assumeThat(Tools.find("wrk")).as("wrk installed (bench/install-peers.sh)").isPresent();
        Map<String, String> bodyByKey = new ConcurrentHashMap<>();
        Set<String> placed = ConcurrentHashMap.newKeySet();
        Set<String> violations = ConcurrentHashMap.newKeySet();
        Pattern orderId = Pattern.compile("/api/v1/orders/([^/]+)/status");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes());
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String token = exchange.getRequestHeaders().getFirst("Authorization");
            String first = bodyByKey.putIfAbsent(key, body);
            int status;
            if (first != null) {
                status = first.equals(body) ? 200 : 422;
                exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
            } else if (exchange.getRequestMethod().equals("POST")) {
                placed.add(body.substring(12, 48)); // {"orderId":"<uuid>"
                status = 201;
            } else {
                Matcher m = orderId.matcher(exchange.getRequestURI().getPath());
                status = m.matches() && placed.contains(m.group(1)) ? 200 : 404;
            }
            if (status >= 400 || token == null || !token.startsWith("Bearer t")) {
                violations.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + status);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            Storefront shop = new Storefront("http://127.0.0.1:1", Map.of("shop-1", "t1", "shop-2", "t2"), 1);
            WrkClosedLoop wrk = WrkClosedLoop.find(dir).orElseThrow();

            Measurement m = wrk.run("test", "http://127.0.0.1:" + server.getAddress().getPort(),
                    Map.of("shop-1", "t1", "shop-2", "t2"), 2, Duration.ofSeconds(4), shop);

            assertThat(violations).isEmpty();
            assertThat(m.completed()).isGreaterThan(50); // a few hundred on a quiet machine
            long sent = shop.distinctRequests() + shop.duplicatesSent();
            assertThat((double) shop.duplicatesSent() / sent).isBetween(0.08, 0.32); // a fifth, give or take chance
            // a request wrk had sent (and logged) when it stopped may never have reached the server
            assertThat(shop.distinctRequests() - bodyByKey.size()).isBetween(0L, 2L);
            // every answered copy of an earlier request was a replay, and wrk counted them as such
            assertThat(shop.replays()).isPositive().isLessThanOrEqualTo(shop.duplicatesSent());
            assertThat(shop.finalStatusByKey().values()).allMatch(s -> s == 200 || s == 201 || s == 0);
        } finally {
            server.stop(0);
        }
    }
}
