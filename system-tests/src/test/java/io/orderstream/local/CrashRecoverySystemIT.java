package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The promise under the failures that really happen. The processor runs as its own JVM and is
 * killed with SIGKILL three times under concurrent load with duplicates; then the broker restarts,
 * then PostgreSQL. Afterwards the event log and the database are read back:
 *
 * <ul>
 *   <li>every request answered 200/201 was applied exactly once, and its answer matches the log;</li>
 *   <li>every request answered 202, 5xx or not at all was applied at most once, and the same
 *       request with the same key then returns its result;</li>
 *   <li>all final answers for one key are identical;</li>
 *   <li>per order, sequences have no gaps or duplicates; PostgreSQL equals the fold of the log.</li>
 * </ul>
 */
class CrashRecoverySystemIT {

    private static final String[] NEXT = {"PROCESSING", "SHIPPED", "DELIVERED", "REFUNDED", "CANCELED"};

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, Request> requests = new ConcurrentHashMap<>();
    private final List<String> orders = new CopyOnWriteArrayList<>();

    /** One HTTP request as a storefront sends it (retries reuse it whole). */
    record Request(String tenant, String key, String method, String path, String body, String orderId,
            String wantedStatus) {
    }

    /** One attempt of a request and what came back (status 0: no answer). */
    record Attempt(Request request, int status, String body, boolean replayed) {
        boolean isFinal() {
            return status >= 200 && status < 500 && status != 202;
        }
    }

    @Test
    void killsAndRestarts_underLoad_loseNothing_andDoubleNothing() throws Exception {
        Path work = Files.createTempDirectory("order-stream-crash-");
        int kafkaPort = LocalKafka.freePort();
        int pgPort = LocalKafka.freePort();
        LocalKafka[] kafka = {LocalKafka.start(kafkaPort, work.resolve("kafka"))};
        LocalPostgres[] postgres = {LocalPostgres.start(pgPort, work.resolve("postgres"))};
        String secret = "crash-secret-" + UUID.randomUUID();
        ProcessorProcess processor = new ProcessorProcess(work, kafka[0].bootstrapServers(), postgres[0].jdbcUrl());
        ConfigurableApplicationContext apiContext = null;
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            processor.start();
            apiContext = Services.startApi(new Services.Settings(kafka[0].bootstrapServers(), postgres[0].jdbcUrl(),
                    LocalPostgres.USER, LocalPostgres.PASSWORD, secret, 0, 0, null,
                    Map.of("orders.topics.partitions", "3", "orders.api.result-timeout", "5s")));
            Api api = new Api("http://localhost:" + Services.port(apiContext), secret);
            List<String> tenants = List.of(TestStack.newTenant(), TestStack.newTenant(), TestStack.newTenant());

            AtomicBoolean running = new AtomicBoolean(true);
            List<CompletableFuture<Void>> load = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                load.add(CompletableFuture.runAsync(() -> drive(api, tenants, new Random(client), running), clients));
            }

            for (int kill = 1; kill <= 3; kill++) {
                awaitAnswers(40);
                processor.kill();
                processor.start();
            }
            awaitAnswers(40);
            kafka[0].close();
            kafka[0] = LocalKafka.start(kafkaPort, work.resolve("kafka"));
            awaitAnswers(40);
            postgres[0].close();
            postgres[0] = LocalPostgres.start(pgPort, work.resolve("postgres"));
            awaitAnswers(40);
            running.set(false);
            CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

            // every request without a final answer: the same request again, until it has one
            for (Request request : requests.values()) {
                if (attemptsOf(request).stream().noneMatch(Attempt::isFinal)) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> send(api, request).isFinal());
                }
            }

            verify(new Evidence(kafka[0].bootstrapServers(), postgres[0].jdbcUrl(), LocalPostgres.USER,
                    LocalPostgres.PASSWORD), tenants);
        } finally {
            clients.shutdownNow();
            if (apiContext != null) {
                apiContext.close();
            }
            processor.kill();
            kafka[0].close();
            postgres[0].close();
        }
    }

    private void drive(Api api, List<String> tenants, Random random, AtomicBoolean running) {
        List<Request> mine = new ArrayList<>();
        while (running.get()) {
            String tenant = tenants.get(random.nextInt(tenants.size()));
            int dice = random.nextInt(100);
            Request request;
            if (dice < 20 && !mine.isEmpty()) {
                request = mine.get(random.nextInt(mine.size())); // a retry, a double click
                if (dice < 5) {
                    Request twin = request;
                    CompletableFuture.runAsync(() -> send(api, twin));
                }
            } else if (dice < 55 || orders.isEmpty()) {
                String key = "place-" + UUID.randomUUID();
                request = new Request(tenant, key, "POST", "/api/v1/orders", Api.placeBody("c-" + random.nextInt(100)),
                        null, null);
            } else {
                String order = orders.get(random.nextInt(orders.size()));
                String[] parts = order.split("/", 2);
                String status = NEXT[random.nextInt(NEXT.length)];
                request = new Request(parts[0], "status-" + UUID.randomUUID(), "PUT",
                        "/api/v1/orders/" + parts[1] + "/status", Api.statusBody(status), parts[1], status);
            }
            requests.putIfAbsent(request.tenant() + "|" + request.key() + "|" + request.path(), request);
            mine.add(request);
            Attempt attempt = send(api, request);
            if (attempt.status() == 201 && !attempt.replayed()) {
                orders.add(request.tenant() + "/" + Json.MAPPER.readTree(attempt.body()).get("orderId").asString());
            }
        }
    }

    private Attempt send(Api api, Request request) {
        Attempt attempt;
        try {
            HttpResponse<String> response = api.send(api.command(request.method(), request.path(), request.tenant(),
                    request.key(), request.body()));
            attempt = new Attempt(request, response.statusCode(), response.body(),
                    response.headers().firstValue("Idempotent-Replayed").isPresent());
        } catch (RuntimeException noAnswer) {
            attempt = new Attempt(request, 0, String.valueOf(noAnswer.getMessage()), false);
        }
        attempts.add(attempt);
        return attempt;
    }

    /** Lets the load run until {@code more} further requests got a final answer. */
    private void awaitAnswers(int more) {
        long target = attempts.stream().filter(Attempt::isFinal).count() + more;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> attempts.stream().filter(Attempt::isFinal).count() >= target);
    }

    private List<Attempt> attemptsOf(Request request) {
        return attempts.stream().filter(a -> a.request() == request).toList();
    }

    private void verify(Evidence evidence, List<String> tenants) {
        Map<String, Long> byStatus = attempts.stream().collect(Collectors.groupingBy(
                a -> a.status() == 0 ? "no answer" : Integer.toString(a.status()), java.util.TreeMap::new,
                Collectors.counting()));
        int events = 0;
        int orderCount = 0;
        for (String tenant : tenants) {
            Map<String, List<EventEnvelope>> log = evidence.events(tenant);
            orderCount += log.size();
            Map<String, EventEnvelope> byKey = new HashMap<>();
            for (Map.Entry<String, List<EventEnvelope>> order : log.entrySet()) {
                List<Long> sequences = order.getValue().stream().map(EventEnvelope::sequence).toList();
                assertThat(sequences).as("sequences of " + order.getKey()).isEqualTo(
                        java.util.stream.LongStream.rangeClosed(1, sequences.size()).boxed().toList());
                for (EventEnvelope event : order.getValue()) {
                    events++;
                    EventEnvelope twice = byKey.put(order.getKey() + "|" + event.idempotencyKey(), event);
                    assertThat(twice).as("key " + event.idempotencyKey() + " applied twice").isNull();
                }
            }
            for (Request request : requests.values()) {
                if (!request.tenant().equals(tenant)) {
                    continue;
                }
                List<Attempt> finals = attemptsOf(request).stream().filter(Attempt::isFinal).toList();
                assertThat(finals).as("a final answer for " + request.key()).isNotEmpty();
                assertThat(finals).extracting(Attempt::status).containsOnly(finals.get(0).status());
                assertThat(finals).extracting(Attempt::body).as("identical answers for " + request.key())
                        .containsOnly(finals.get(0).body());
                Attempt answer = finals.get(0);
                if (answer.status() / 100 != 2) {
                    if (request.orderId() != null) {
                        assertThat(byKey).as("a refused request left no event").doesNotContainKey(
                                request.orderId() + "|" + request.key());
                    }
                    continue;
                }
                JsonNode order = Json.MAPPER.readTree(answer.body());
                String orderId = order.get("orderId").asString();
                EventEnvelope applied = byKey.get(orderId + "|" + request.key());
                if (applied != null) {
                    assertThat(order.get("version").asLong()).as("the answer is the state after its own event")
                            .isEqualTo(applied.sequence());
                } else {
                    // a 2xx without an event is only right for "the status it already had"
                    assertThat(request.wantedStatus()).as("2xx without an event for " + request.key()).isNotNull();
                    assertThat(order.get("status").asString()).isEqualTo(request.wantedStatus());
                }
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)));
        }
        long replays = attempts.stream().filter(Attempt::replayed).count();
        System.out.printf("crash test: %d requests, %d attempts %s, %d replays, %d events, %d orders%n",
                requests.size(), attempts.size(), byStatus, replays, events, orderCount);
        assertThat(events).isPositive();
    }

    /** The processor as its own JVM, from the jar the build made, killed with SIGKILL. */
    private final class ProcessorProcess {
        private final Path work;
        private final String bootstrap;
        private final String jdbcUrl;
        private final int port = LocalKafka.freePort();
        private Process process;
        private int starts;

        ProcessorProcess(Path work, String bootstrap, String jdbcUrl) {
            this.work = work;
            this.bootstrap = bootstrap;
            this.jdbcUrl = jdbcUrl;
        }

        void start() throws IOException {
            Map<String, String> env = Map.of("ORDERS_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "ORDERS_DB_URL", jdbcUrl, "ORDERS_DB_USER", LocalPostgres.USER,
                    "ORDERS_DB_PASSWORD", LocalPostgres.PASSWORD, "ORDERS_PROCESSOR_PORT", Integer.toString(port),
                    "ORDERS_STREAMS_STATE_DIR", work.resolve("streams").toString(), "ORDERS_TOPIC_PARTITIONS", "3");
            process = ServiceJvm.start("order-processor", env,
                    work.resolve("processor-" + (++starts) + ".log"), port);
        }

        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly(); // SIGKILL: no shutdown hook, no leave-group, no commit
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
