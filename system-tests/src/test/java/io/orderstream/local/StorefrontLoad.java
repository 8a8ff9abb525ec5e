package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import tools.jackson.databind.JsonNode;

/**
 * Storefronts under a fault: client threads place orders and change their status through the API
 * instances, re-send earlier requests (a retry, a double click; some at the same moment on the
 * other instance), and retry every request without a final answer (no answer, 202, 503) with the
 * same key, on the other instance first, until it has one. Then {@link #verify} reads the log and
 * the projection back and checks the promise; {@link #report} prints the counts and what the fault
 * looked like from outside.
 */
final class StorefrontLoad implements AutoCloseable {

    private static final String[] NEXT = {"PROCESSING", "SHIPPED", "DELIVERED", "REFUNDED", "CANCELED"};
    /** A final answer slower than this is counted as slow in the report. */
    static final Duration SLOW = Duration.ofSeconds(2);

    /** One HTTP request as a storefront sends it (retries reuse it whole). */
    record Request(String tenant, String key, String method, String path, String body, String orderId,
            String wantedStatus) {
    }

    /** One attempt of a request on an API instance, what came back (status 0: no answer) and when. */
    record Attempt(Request request, int api, int status, String body, boolean replayed, long startNanos,
            long endNanos) {
        boolean isFinal() {
            return status >= 200 && status < 500 && status != 202;
        }

    }

    private final String name;
    private final ClusterStack stack;
    private final IntPredicate apiUp;
    private final List<String> tenants = List.of(TestStack.newTenant(), TestStack.newTenant());
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, Request> requests = new ConcurrentHashMap<>();
    private final List<String> orders = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients = Executors.newFixedThreadPool(6);
    private final List<CompletableFuture<Void>> load = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicIntegerArray inFlight =
            new java.util.concurrent.atomic.AtomicIntegerArray(2);
    private final long startNanos = System.nanoTime();
    private long faultNanos;
    private String fault = "none";

    /**
     * Starts {@code clients} storefront threads.
     *
     * @param apiUp whether a client should try instance 0 or 1 first (both are always tried again)
     */
    StorefrontLoad(String name, ClusterStack stack, int clientThreads, IntPredicate apiUp) {
        this.name = name;
        this.stack = stack;
        this.apiUp = apiUp;
        for (int c = 0; c < clientThreads; c++) {
            Random random = new Random(name.hashCode() * 31L + c);
            load.add(CompletableFuture.runAsync(() -> drive(random), clients));
        }
    }

    /** Marks the moment of the fault: the disruption is measured from here. */
    void fault(String description) {
        fault = description;
        faultNanos = System.nanoTime();
    }

    private void drive(Random random) {
        List<Request> mine = new ArrayList<>();
        while (running.get()) {
            String tenant = tenants.get(random.nextInt(tenants.size()));
            int dice = random.nextInt(100);
            Request request;
            if (dice < 20 && !mine.isEmpty()) {
                request = mine.get(random.nextInt(mine.size())); // a retry, a double click
                if (dice < 6) {
                    Request twin = request; // the same request at the same moment, on the other instance
                    int other = random.nextInt(2);
                    CompletableFuture.runAsync(() -> send(twin, other), clients);
                }
            } else if (dice < 55 || orders.isEmpty()) {
                request = new Request(tenant, "place-" + UUID.randomUUID(), "POST", "/api/v1/orders",
                        Api.placeBody("c-" + random.nextInt(100)), null, null);
            } else {
                String[] order = orders.get(random.nextInt(orders.size())).split("/", 2);
                String status = NEXT[random.nextInt(NEXT.length)];
                request = new Request(order[0], "status-" + UUID.randomUUID(), "PUT",
                        "/api/v1/orders/" + order[1] + "/status", Api.statusBody(status), order[1], status);
            }
            requests.putIfAbsent(id(request), request);
            mine.add(request);
            int first = random.nextInt(2);
            if (!apiUp.test(first)) {
                first = 1 - first;
            }
            // the storefront's own retries: same key, the other instance first, while the load runs
            Attempt attempt = send(request, first);
            for (int retry = 1; !attempt.isFinal() && running.get() && retry < 30; retry++) {
                attempt = send(request, (first + retry) % 2);
            }
            if (attempt.status() == 201 && !attempt.replayed()) {
                orders.add(request.tenant() + "/" + Json.MAPPER.readTree(attempt.body()).get("orderId").asString());
            }
        }
    }

    private static String id(Request request) {
        return request.tenant() + "|" + request.key() + "|" + request.path();
    }

    /** Requests on API instance {@code api} that wait for their answer right now. */
    int inFlight(int api) {
        return inFlight.get(api);
    }

    /**
     * Requests whose attempt on instance {@code api} was under way at the fault and got no answer,
     * and that then got their final answer from the other instance.
     */
    long cutOff(int api) {
        return requests.values().stream().filter(request -> {
            List<Attempt> all = attemptsOf(request);
            return all.stream().anyMatch(a -> a.api() == api && a.status() == 0 && a.startNanos() < faultNanos
                    && a.endNanos() >= faultNanos)
                    && all.stream().anyMatch(a -> a.api() != api && a.isFinal() && a.startNanos() >= faultNanos);
        }).count();
    }

    private Attempt send(Request request, int api) {
        long start = System.nanoTime();
        Attempt attempt;
        inFlight.incrementAndGet(api);
        try {
            Api client = stack.api(api);
            HttpResponse<String> response = client.send(client.command(request.method(), request.path(),
                    request.tenant(), request.key(), request.body()));
            attempt = new Attempt(request, api, response.statusCode(), response.body(),
                    response.headers().firstValue("Idempotent-Replayed").isPresent(), start, System.nanoTime());
        } catch (RuntimeException noAnswer) {
            attempt = new Attempt(request, api, 0, String.valueOf(noAnswer.getMessage()), false, start,
                    System.nanoTime());
        } finally {
            inFlight.decrementAndGet(api);
        }
        attempts.add(attempt);
        return attempt;
    }

    /**
     * Lets the load run (bounded) until {@code more} further attempts ended, whatever they were told
     * (202 and 503 included): the clients kept writing through a fault, answered or not.
     */
    void awaitAttempts(int more) {
        long target = attempts.size() + more;
        await(name + ": " + more + " more attempts").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> attempts.size() >= target);
    }

    /** Lets the load run (bounded) until {@code more} further requests got a final answer. */
    void awaitAnswers(int more) {
        long target = attempts.stream().filter(Attempt::isFinal).count() + more;
        await(name + ": " + more + " more answers").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> attempts.stream().filter(Attempt::isFinal).count() >= target);
    }

    /**
     * Stops the storefronts, then sends every request that has no final answer again, with the same
     * key, until it has one (bounded).
     */
    void stopAndSettle() throws Exception {
        running.set(false);
        CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        for (Request request : requests.values()) {
            if (attemptsOf(request).stream().noneMatch(Attempt::isFinal)) {
                int[] next = {0};
                await(name + ": a final answer for " + request.key()).atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200)).until(() -> {
                            int api = next[0]++ % 2;
                            return send(request, apiUp.test(api) ? api : 1 - api).isFinal();
                        });
            }
        }
    }

    private List<Attempt> attemptsOf(Request request) {
        return attempts.stream().filter(a -> a.request() == request).toList();
    }

    /**
     * The promise, read back from the log and the projection: every request has a final answer, all
     * its final answers are identical, a 2xx is the state after its own event (or the status the
     * order already had), a refusal left no event, no key applied twice, gapless sequences, the
     * projection equal to the fold of the log. A request told 503 ("not sent") or 202 whose command
     * was in fact written has exactly one event, and its final answer is that event's state.
     */
    void verify() {
        Evidence evidence = stack.evidence();
        int events = 0;
        int orderCount = 0;
        int notSentButApplied = 0;
        for (String tenant : tenants) {
            Map<String, List<EventEnvelope>> log = evidence.events(tenant);
            orderCount += log.size();
            Map<String, EventEnvelope> byKey = new HashMap<>();
            for (Map.Entry<String, List<EventEnvelope>> order : log.entrySet()) {
                List<Long> sequences = order.getValue().stream().map(EventEnvelope::sequence).toList();
                assertThat(sequences).as(name + ": sequences of " + order.getKey())
                        .isEqualTo(LongStream.rangeClosed(1, sequences.size()).boxed().toList());
                for (EventEnvelope event : order.getValue()) {
                    events++;
                    EventEnvelope twice = byKey.put(order.getKey() + "|" + event.idempotencyKey(), event);
                    assertThat(twice).as(name + ": key " + event.idempotencyKey() + " applied twice").isNull();
                }
            }
            for (Request request : requests.values()) {
                if (!request.tenant().equals(tenant)) {
                    continue;
                }
                List<Attempt> all = attemptsOf(request);
                List<Attempt> finals = all.stream().filter(Attempt::isFinal).toList();
                assertThat(finals).as(name + ": a final answer for " + request.key()).isNotEmpty();
                assertThat(finals).extracting(Attempt::status).as(name + ": one status for " + request.key())
                        .containsOnly(finals.get(0).status());
                assertThat(finals).extracting(Attempt::body).as(name + ": identical answers for " + request.key())
                        .containsOnly(finals.get(0).body());
                Attempt answer = finals.get(0);
                if (answer.status() / 100 != 2) {
                    if (request.orderId() != null) {
                        assertThat(byKey).as(name + ": a refused request left no event")
                                .doesNotContainKey(request.orderId() + "|" + request.key());
                    }
                    continue;
                }
                JsonNode order = Json.MAPPER.readTree(answer.body());
                EventEnvelope applied = byKey.get(order.get("orderId").asString() + "|" + request.key());
                if (applied != null) {
                    assertThat(order.get("version").asLong()).as(name + ": the answer is the state after its own event")
                            .isEqualTo(applied.sequence());
                    if (all.stream().anyMatch(a -> a.status() == 503 || a.status() == 202 || a.status() == 0)) {
                        notSentButApplied++;
                    }
                } else {
                    assertThat(request.wantedStatus()).as(name + ": 2xx without an event for " + request.key())
                            .isNotNull();
                    assertThat(order.get("status").asString()).isEqualTo(request.wantedStatus());
                }
            }
            await(name + ": the projection equals the fold of the log").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                            assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)));
        }
        assertThat(events).as(name + ": events").isPositive();
        report(events, orderCount, notSentButApplied);
    }

    private void report(int events, int orderCount, int notSentButApplied) {
        Map<String, Long> byStatus = attempts.stream().collect(Collectors.groupingBy(
                a -> a.status() == 0 ? "no answer" : Integer.toString(a.status()), TreeMap::new, Collectors.counting()));
        long replays = attempts.stream().filter(Attempt::replayed).count();
        List<Attempt> before = attempts.stream().filter(a -> a.endNanos() < faultNanos).toList();
        List<Attempt> after = attempts.stream().filter(a -> a.endNanos() >= faultNanos).toList();
        // what a storefront saw: answers that were not final (no answer, 202, 503) from the fault on,
        // and how long after the fault the last of them came
        List<Attempt> unanswered = after.stream().filter(a -> !a.isFinal()).toList();
        double window = unanswered.stream().mapToLong(Attempt::endNanos).max().stream()
                .mapToDouble(end -> (end - faultNanos) / 1e9).findFirst().orElse(0);
        Map<String, Long> unansweredBy = unanswered.stream().collect(Collectors.groupingBy(
                a -> a.status() == 0 ? "no answer" : Integer.toString(a.status()), TreeMap::new, Collectors.counting()));
        long slow = after.stream().filter(a -> a.isFinal() && a.endNanos() - a.startNanos() > SLOW.toNanos()).count();
        System.out.printf("%s [%s]: %d requests, %d attempts %s, %d replays, %d events, %d orders; "
                + "%d requests answered 202/503/nothing first, then applied once; "
                + "latency before the fault p50 %.2f s, max %.2f s; after it p50 %.2f s, p99 %.2f s, max %.2f s, "
                + "%d final answers slower than %d s; unanswered attempts %s, the last ending %.1f s after the fault; "
                + "phase %.1f s%n",
                name, fault, requests.size(), attempts.size(), byStatus, replays, events, orderCount, notSentButApplied,
                quantile(before, 0.5), quantile(before, 1), quantile(after, 0.5), quantile(after, 0.99),
                quantile(after, 1), slow, SLOW.toSeconds(), unansweredBy, window,
                (System.nanoTime() - startNanos) / 1e9);
    }

    private static double quantile(List<Attempt> attempts, double q) {
        long[] latencies = attempts.stream().mapToLong(a -> a.endNanos() - a.startNanos()).sorted().toArray();
        if (latencies.length == 0) {
            return 0;
        }
        return latencies[(int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1 < 0 ? 0
                : Math.ceil(q * latencies.length) - 1)] / 1e9;
    }

    @Override
    public void close() {
        running.set(false);
        clients.shutdownNow();
    }
}
