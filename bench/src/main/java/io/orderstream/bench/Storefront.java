package io.orderstream.bench;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Storefronts as the API sees them: several tenants place orders and move them along
 * ({@code PENDING → PROCESSING → SHIPPED → DELIVERED}), and a fifth of all requests are re-sent
 * with the same key and body, as a client does after a timeout: those re-sent while the first is
 * still in flight arrive concurrently. Status changes only go to orders whose previous command was
 * answered, so every request is one the state machine accepts, and every definite answer is a
 * success: {@code events = requests applied} can then be checked exactly.
 *
 * <p>Keeps every key's last answer, so requests left unanswered or answered 202 can be resolved
 * (re-sent with their key) before the log is audited.
 */
final class Storefront {

    private static final List<String> PATH = List.of("PENDING", "PROCESSING", "SHIPPED", "DELIVERED");
    static final double DUPLICATES = 0.20;
    private static final double STATUS_CHANGES = 0.40;
    private static final int RECENT = 2048;

    /** One logical request: its key, its body, and what the shop knows about its order. */
    record Request(String tenant, String key, String method, String path, String body, String orderId, int step) {

        boolean placesOrder() {
            return step == 0;
        }
    }

    private final URI base;
    private final Map<String, String> tokens;
    private final List<String> tenants;
    private final SplittableRandom random;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Deque<Request>> idleOrders = new ConcurrentHashMap<>();
    private final Request[] recent = new Request[RECENT];
    private long recentCount;
    /** key → the last status it was answered with (0: no answer yet or a transport error) */
    private final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Request> requests = new ConcurrentHashMap<>();
    private final AtomicLong duplicatesSent = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();

    /** @param tokens a bearer token per tenant */
    Storefront(String base, Map<String, String> tokens, long seed) {
        this.base = URI.create(base);
        this.tokens = Map.copyOf(tokens);
        this.tenants = List.copyOf(new java.util.TreeSet<>(tokens.keySet()));
        this.random = new SplittableRandom(seed);
        tenants.forEach(tenant -> idleOrders.put(tenant, new ArrayDeque<>()));
    }

    /** The next call: a duplicate of a recent request, or a new order, or a status change. */
    synchronized HttpLoad.Call next() {
        if (recentCount > 0 && random.nextDouble() < DUPLICATES) {
            Request again = recent[(int) (random.nextLong(Math.min(recentCount, RECENT)))];
            duplicatesSent.incrementAndGet();
            return call(again, false);
        }
        String tenant = tenants.get(random.nextInt(tenants.size()));
        Request request = null;
        if (random.nextDouble() < STATUS_CHANGES) {
            Request order = idleOrders.get(tenant).pollFirst();
            if (order != null) {
                int step = order.step() + 1;
                request = new Request(tenant, key(), "PUT", "/api/v1/orders/" + order.orderId() + "/status",
                        "{\"status\":\"" + PATH.get(step) + "\",\"reason\":\"bench\"}", order.orderId(), step);
            }
        }
        if (request == null) {
            String orderId = UUID.randomUUID().toString();
            request = new Request(tenant, key(), "POST", "/api/v1/orders", "{\"orderId\":\"" + orderId
                    + "\",\"customerId\":\"c-" + random.nextInt(10_000) + "\",\"currency\":\"EUR\",\"lines\":["
                    + "{\"sku\":\"SKU-" + random.nextInt(500) + "\",\"quantity\":" + (1 + random.nextInt(3))
                    + ",\"unitPriceMinor\":" + (100 + random.nextInt(9_900)) + "},"
                    + "{\"sku\":\"GIFT-WRAP\",\"quantity\":1,\"unitPriceMinor\":250}]}", orderId, 0);
        }
        requests.put(request.key(), request);
        recent[(int) (recentCount++ % RECENT)] = request;
        return call(request, true);
    }

    private String key() {
        return "bench-" + run + "-" + sequence.incrementAndGet();
    }

    /** The request encoded once: a duplicate or a re-send writes the same bytes again. */
    private HttpLoad.Call call(Request request, boolean first) {
        byte[] wire = HttpLoad.encode(request.method(), base, request.path(), Map.of(
                "Authorization", "Bearer " + tokens.get(request.tenant()), "Content-Type", "application/json",
                "Idempotency-Key", request.key()), request.body());
        return new HttpLoad.Call() {
            @Override
            public byte[] wire() {
                return wire;
            }

            @Override
            public void answered(int status, HttpHeaders headers) {
                Storefront.this.answered(request, status, status != 0 && headers.contains("Idempotent-Replayed"),
                        first);
            }
        };
    }

    private void answered(Request request, int status, boolean replayed, boolean first) {
        if (replayed) {
            replays.incrementAndGet();
        }
        // a definite answer is never overwritten by a later 202 or error of a re-sent copy
        outcomes.merge(request.key(), status, (old, now) -> definite(old) ? old : now);
        if (first) {
            moveOn(request, status);
        }
    }

    /**
     * Takes in what another driver (wrk's Lua storefront) sent and was told, so the audit and the
     * re-sends cover its requests too: {@code sent} once per request as it first went out,
     * {@code answered} once per answer.
     */
    void sentElsewhere(Request request, boolean duplicate) {
        if (duplicate) {
            duplicatesSent.incrementAndGet();
        } else {
            requests.putIfAbsent(request.key(), request);
        }
    }

    void answeredElsewhere(String key, int status, boolean replayed) {
        Request request = requests.get(key);
        if (request != null) {
            answered(request, status, replayed, false);
        }
    }

    /** The first sender of a request learns what became of its order. */
    private void moveOn(Request request, int status) {
        boolean applied = status == 201 || status == 200;
        if (applied && request.step() + 1 < PATH.size()) {
            synchronized (this) {
                idleOrders.get(request.tenant()).addLast(request);
            }
        }
        // 202, errors: the order's state is unknown until resolved; it takes no further commands
    }

    static boolean definite(Integer status) {
        return status != null && status != 0 && status != 202 && status < 500;
    }

    /** Keys without a definite answer (202, 5xx, no answer), to re-send before the audit. */
    List<Request> unresolved() {
        List<Request> open = new ArrayList<>();
        requests.forEach((key, request) -> {
            if (!definite(outcomes.get(key))) {
                open.add(request);
            }
        });
        return open;
    }

    /** The same request with its key again, answered like the first. */
    HttpLoad.Call resend(Request request) {
        return call(request, false);
    }

    /** Every key sent, as {@code tenant/key}, with its final status (0: no definite answer). */
    Map<String, Integer> finalStatusByKey() {
        Map<String, Integer> statuses = new java.util.HashMap<>();
        requests.forEach((key, request) -> {
            Integer status = outcomes.get(key);
            statuses.put(request.tenant() + "/" + key, definite(status) ? status : 0);
        });
        return statuses;
    }

    /** Answers by status over all keys: what each request finally got. */
    Map<Integer, Long> finalOutcomes() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        requests.keySet().forEach(key -> counts.merge(outcomes.getOrDefault(key, 0), 1L, Long::sum));
        return counts;
    }

    /** The request sent with this key. */
    Request request(String key) {
        return requests.get(key);
    }

    long distinctRequests() {
        return requests.size();
    }

    long duplicatesSent() {
        return duplicatesSent.get();
    }

    long replays() {
        return replays.get();
    }

    List<String> tenants() {
        return tenants;
    }
}
