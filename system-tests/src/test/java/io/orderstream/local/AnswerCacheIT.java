package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderstream.events.OrderKey;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The near cache of stored answers (docs: README "Duplicates answered by the API"): every API
 * instance reads every committed result, and answers a duplicate of a completed request itself.
 * Its answers must be the processor's: here an instance with the cache (X, beside the stack's own
 * API) and one without it (P, which asks the processor every time) answer the same requests, and
 * each answer of X equals P's: status, body, {@code Idempotent-Replayed}, {@code Location}.
 */
class AnswerCacheIT {

    private static final List<ConfigurableApplicationContext> STARTED = new ArrayList<>();
    private static TestStack stack;
    private static ConfigurableApplicationContext cached;
    private static Api x;
    private static Api p;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        cached = api(Map.of());
        x = client(cached);
        p = client(api(Map.of("orders.api.answer-cache.enabled", "false")));
    }

    @AfterAll
    static void stop() {
        STARTED.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void duplicatesOfCompletedRequests_areAnsweredByTheCache_exactlyAsTheProcessorAnswersThem() {
        String tenant = TestStack.newTenant();
        HttpResponse<String> placed = stack.api.placeOrder(tenant, "place-1", Api.placeBody("c-1"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String orderId = OrderKey.derive(tenant, "place-1");
        HttpResponse<String> rejected = stack.api.changeStatus(tenant, orderId, "deliver-1", Api.statusBody("DELIVERED"));
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(409);
        HttpResponse<String> moved = stack.api.changeStatus(tenant, orderId, "process-1", Api.statusBody("PROCESSING"));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        awaitKnown(cached, () -> x.changeStatus(tenant, orderId, "process-1", Api.statusBody("PROCESSING")));
        double hitsBefore = hits(cached);

        // a replay of each, a different request under each key
        List<Function<Api, HttpResponse<String>>> requests = List.of(
                api -> api.placeOrder(tenant, "place-1", Api.placeBody("c-1")),
                api -> api.changeStatus(tenant, orderId, "deliver-1", Api.statusBody("DELIVERED")),
                api -> api.changeStatus(tenant, orderId, "process-1", Api.statusBody("PROCESSING")),
                api -> api.placeOrder(tenant, "place-1", Api.placeBody("another-customer")),
                api -> api.changeStatus(tenant, orderId, "deliver-1", Api.statusBody("CANCELED")),
                api -> api.changeStatus(tenant, orderId, "process-1", Api.statusBody("SHIPPED")));
        for (Function<Api, HttpResponse<String>> request : requests) {
            HttpResponse<String> fromCache = request.apply(x);
            HttpResponse<String> fromProcessor = request.apply(p);
            assertSameAnswer(fromCache, fromProcessor);
        }
        assertThat(hits(cached) - hitsBefore).isEqualTo(requests.size());
        assertThat(stack.api.placeOrder(tenant, "place-1", Api.placeBody("another-customer")).statusCode())
                .isEqualTo(422);
    }

    @Test
    void withTheProcessorStopped_aDuplicateOfACompletedRequest_stillGetsItsAnswer() throws Exception {
        String tenant = TestStack.newTenant();
        HttpResponse<String> placed = stack.api.placeOrder(tenant, "while-up", Api.placeBody("c-1"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        awaitKnown(cached, () -> x.placeOrder(tenant, "while-up", Api.placeBody("c-1")));
        stack.services.processor().close();
        try {
            HttpResponse<String> replay = x.placeOrder(tenant, "while-up", Api.placeBody("c-1"));

            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(replay.body()).isEqualTo(placed.body());
            Problems.assertProblem(x.placeOrder(tenant, "while-up", Api.placeBody("c-2")), 422,
                    "idempotency-key-reused");
        } finally {
            stack.services.restartProcessor(Files.createTempDirectory("order-stream-answer-cache-"));
        }
    }

    @Test
    void aRestartedInstance_startsEmpty_andGivesTheSameAnswers_fromTheProcessor() {
        String tenant = TestStack.newTenant();
        HttpResponse<String> placed = stack.api.placeOrder(tenant, "before-restart", Api.placeBody("c-1"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        ConfigurableApplicationContext fresh = api(Map.of());
        Api restarted = client(fresh);

        HttpResponse<String> replay = restarted.placeOrder(tenant, "before-restart", Api.placeBody("c-1"));

        assertSameAnswer(replay, p.placeOrder(tenant, "before-restart", Api.placeBody("c-1")));
        assertThat(replay.body()).isEqualTo(placed.body());
        assertThat(hits(fresh)).isZero();
        // the processor's replay it has just read is what it knows from now on
        awaitKnown(fresh, () -> restarted.placeOrder(tenant, "before-restart", Api.placeBody("c-1")));
    }

    @Test
    void manyDistinctKeys_keepTheCacheWithinItsBound() {
        ConfigurableApplicationContext small = api(Map.of("orders.api.answer-cache.max-bytes", "16KB"));
        Api bounded = client(small);
        String tenant = TestStack.newTenant();
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> placed = bounded.placeOrder(tenant, "many-" + i, Api.placeBody("c-" + i));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        }
        MeterRegistry meters = small.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> meters.get("orders.api.answer.cache.evictions").counter().count() > 0);
        assertThat(meters.get("orders.api.answer.cache.bytes").gauge().value()).isLessThanOrEqualTo(16 * 1024);
        // the newest is known, the oldest was let go and is answered by the processor, the same
        assertThat(bounded.placeOrder(tenant, "many-0", Api.placeBody("c-0")).statusCode()).isEqualTo(201);
        assertThat(bounded.placeOrder(tenant, "many-59", Api.placeBody("c-59")).statusCode()).isEqualTo(201);
    }

    private static void assertSameAnswer(HttpResponse<String> fromCache, HttpResponse<String> fromProcessor) {
        assertThat(fromCache.statusCode()).as(fromCache.body()).isEqualTo(fromProcessor.statusCode());
        assertThat(fromCache.body()).isEqualTo(fromProcessor.body());
        for (String header : List.of("Idempotent-Replayed", "Location", "Content-Type")) {
            assertThat(fromCache.headers().firstValue(header)).as(header)
                    .isEqualTo(fromProcessor.headers().firstValue(header));
        }
    }

    /**
     * Until the instance answers this replay from its cache: results reach every instance a little
     * apart. Replays change nothing, whoever answers them.
     */
    private static void awaitKnown(ConfigurableApplicationContext context, Supplier<HttpResponse<String>> replay) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            double before = hits(context);
            replay.get();
            return hits(context) > before;
        });
    }

    private static double hits(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class).get("orders.api.answer.cache").tag("result", "hit").counter()
                .count();
    }

    private static ConfigurableApplicationContext api(Map<String, String> extra) {
        ConfigurableApplicationContext context = Services.startApi(new Services.Settings(stack.bootstrapServers,
                stack.jdbcUrl, stack.dbUser, stack.dbPassword, stack.jwtSecret, 0, 0, null, withStackTopics(extra)));
        STARTED.add(context);
        return context;
    }

    /** The stack's partition count: an API with another would add partitions to the stack's topics. */
    static Map<String, String> withStackTopics(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.put("orders.topics.partitions", "3");
        return settings;
    }

    private static Api client(ConfigurableApplicationContext context) {
        return new Api("http://localhost:" + Services.port(context), stack.jwtSecret);
    }
}
