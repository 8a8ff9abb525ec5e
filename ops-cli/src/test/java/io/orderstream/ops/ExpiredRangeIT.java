package io.orderstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.local.Api;
import io.orderstream.local.Evidence;
import io.orderstream.local.LocalKafka;
import io.orderstream.local.LocalPostgres;
import io.orderstream.local.Services;
import io.orderstream.local.TestStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replays and resets of commands older than the idempotency TTL, against a deployment of its own
 * (broker, PostgreSQL, processor, API) whose processor keeps keys for 10 s and purges every second:
 * commands once answered 409 and 422 would apply if they were decided again. They never are.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExpiredRangeIT {

    /** Each test waits it out once: short, and still far above the second its four requests take. */
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final List<AutoCloseable> STARTED = new ArrayList<>();
    private static Path work;
    private static LocalKafka kafka;
    private static LocalPostgres postgres;
    private static Services services;
    private static Api api;
    private static Evidence evidence;

    @BeforeAll
    static void deploy() throws Exception {
        work = Files.createTempDirectory("order-stream-expired-");
        kafka = LocalKafka.start(0, work.resolve("kafka"));
        STARTED.add(kafka);
        postgres = LocalPostgres.start(0, null);
        STARTED.add(postgres);
        String secret = "expired-range-secret-" + UUID.randomUUID() + UUID.randomUUID();
        services = Services.start(new Services.Settings(kafka.bootstrapServers(), postgres.jdbcUrl(), LocalPostgres.USER,
                LocalPostgres.PASSWORD, secret, 0, 0, work.resolve("streams"), Map.of(
                        "orders.idempotency.ttl", TTL.toString(),
                        "orders.idempotency.purge-interval", "1s",
                        "orders.topics.partitions", "2",
                        "orders.api.result-timeout", "15s",
                        // the commands under test must reach the log: the near cache would answer the
                        // request that reuses a key (422) itself, and no command of it would be written
                        "orders.api.answer-cache.enabled", "false")));
        STARTED.add(services);
        api = new Api("http://localhost:" + services.apiPort(), secret);
        evidence = new Evidence(kafka.bootstrapServers(), postgres.jdbcUrl(), LocalPostgres.USER,
                LocalPostgres.PASSWORD);
    }

    @AfterAll
    static void undeploy() throws Exception {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            STARTED.get(i).close();
        }
    }

    @Test
    @Order(1)
    void replayOfCommandsAnswered409And422_pastTheTtl_isRefusedNamingTheTtl_andForcedIsAnsweredExpired_unchanged() {
        String tenant = TestStack.newTenant();
        Instant from = Instant.now().minusMillis(1);
        String orderId = answered409And422(tenant);
        Instant to = Instant.now().plusMillis(1);
        Map<String, List<EventEnvelope>> eventsBefore = evidence.events(tenant);
        assertThat(eventsBefore.get(orderId)).hasSize(2);
        awaitOlderThanTheTtl(to);

        OpsRun.Result refused = OpsRun.run(ops("commands", "replay", "--from", from.toString(), "--to", to.toString(),
                "--tenant", tenant));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("replay: idempotency TTL " + TTL + " (recorded by processor "
                        + "order-processor in processor_settings at ")
                .contains("refused: 4 of these 4 commands occurred more than the idempotency TTL " + TTL)
                .contains("urn:order-stream:problem:command-expired").contains("--force");
        assertThat(evidence.events(tenant)).isEqualTo(eventsBefore);

        OpsRun.Result forced = OpsRun.run(ops("commands", "replay", "--from", from.toString(), "--to", to.toString(),
                "--tenant", tenant, "--force"));

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.err()).contains("WARNING (--force): 4 of these 4 commands");
        assertThat(forced.out()).contains("replayed: 4").contains("collapsed as duplicates (replayed=true): 0")
                .contains("caused new changes: 0")
                .contains("answered expired (older than the TTL, not decided, no change): 4");
        assertThat(evidence.events(tenant)).isEqualTo(eventsBefore);
        assertOrder(tenant, orderId, "PROCESSING");
        awaitExpiredCounted(tenant, 4);
    }

    @Test
    @Order(2)
    void resetOverCommandsPastTheTtl_isRefusedUnlessForced_andTheReprocessedCommandsAreAnsweredExpired()
            throws Exception {
        String tenant = TestStack.newTenant();
        Instant from = Instant.now().minusMillis(1);
        String orderId = answered409And422(tenant);
        Instant to = Instant.now().plusMillis(1);
        Map<String, List<EventEnvelope>> eventsBefore = evidence.events(tenant);
        awaitOlderThanTheTtl(to);
        services.processor().close();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.describeConsumerGroups(
                    List.of("order-processor")).all().get().get("order-processor").members()).isEmpty());
        }

        OpsRun.Result refused = OpsRun.run(ops("streams", "reset", "--to-datetime", from.toString()));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("streams reset: idempotency TTL " + TTL + " (recorded by processor "
                        + "order-processor in processor_settings at ")
                .contains("refused: up to 4 of the re-processed commands were written more than the idempotency TTL "
                        + TTL).contains("--force");

        OpsRun.Result forced = OpsRun.run(ops("streams", "reset", "--to-datetime", from.toString(), "--force"));
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("re-processes up to 4 commands").contains("internal topics kept");
        services.restartProcessor(work.resolve("streams"));

        awaitExpiredCounted(tenant, 4);
        assertThat(evidence.events(tenant)).isEqualTo(eventsBefore);
        assertOrder(tenant, orderId, "PROCESSING");
    }

    /**
     * Places an order and sends it SHIPPED too early (409), then PROCESSING (applied), then CANCELED
     * under the key of PROCESSING (422). Decided again, both refused commands would now apply.
     */
    private static String answered409And422(String tenant) {
        HttpResponse<String> placed = api.placeOrder(tenant, "place", Api.placeBody("c-1"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String orderId = Json.MAPPER.readTree(placed.body()).get("orderId").asString();
        HttpResponse<String> early = api.changeStatus(tenant, orderId, "ship", Api.statusBody("SHIPPED"));
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        HttpResponse<String> pick = api.changeStatus(tenant, orderId, "pick", Api.statusBody("PROCESSING"));
        assertThat(pick.statusCode()).as(pick.body()).isEqualTo(200);
        HttpResponse<String> reused = api.changeStatus(tenant, orderId, "pick", Api.statusBody("CANCELED"));
        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(422);
        return orderId;
    }

    /** Until every command of the range is older than the TTL and its key purged (every second). */
    private static void awaitOlderThanTheTtl(Instant to) {
        await().atMost(TTL.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Instant.now().isAfter(to.plus(TTL).plusSeconds(3)));
    }

    private static void awaitExpiredCounted(String tenant, int expected) {
        Pattern counted = Pattern.compile("(?m)^orders_commands_answered_total\\{[^}]*outcome=\"expired\"[^}]*tenant=\""
                + tenant + "\"[^}]*} " + expected + "\\.0$");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(api.send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + services.processorPort() + "/actuator/prometheus")).build()).body())
                .containsPattern(counted));
    }

    private static void assertOrder(String tenant, String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)));
        HttpResponse<String> order = api.getOrder(tenant, orderId);
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(order.body()).get("status").asString()).isEqualTo(status);
        assertThat(Json.MAPPER.readTree(order.body()).get("version").asInt()).isEqualTo(2);
    }

    private static String[] ops(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--bootstrap-servers=" + kafka.bootstrapServers());
        all.add("--db-url=" + postgres.jdbcUrl());
        all.add("--db-user=" + LocalPostgres.USER);
        all.add("--db-password=" + LocalPostgres.PASSWORD);
        return all.toArray(String[]::new);
    }
}
