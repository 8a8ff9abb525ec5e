package io.orderstream.ops.projection;

import static io.orderstream.ops.OpsRun.withKafkaAndDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import io.orderstream.ops.Orders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Events the projector cannot write, straight on orders.events.v1 as any producer could put them
 * there: they are set aside with the later events of their order, and stop nothing else.
 */
class ProjectionSetAsideIT {

    /** Text of the poison events: it must never show in what an operator sees. */
    private static final String CONTENT = "customer-secret-text";

    private static TestStack stack;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
    }

    @Test
    void eventPostgresCannotHold_isSetAsideWithTheLaterEventsOfItsOrder_andStopsNoOtherOrderOrTenant() throws Exception {
        String t1 = TestStack.newTenant();
        String t2 = TestStack.newTenant();
        // what the processor logs (it runs in this JVM), to show that no log line quotes the refused values
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        try {
            poisonEventsStopOnlyTheirOrders(t1, t2);
        } finally {
            root.detachAppender(logged);
        }
        List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).as("the processor's log").noneMatch(line -> line.contains(CONTENT))
                .anyMatch(line -> line.startsWith("event set aside by the projector: tenant " + t1 + ", order ")
                        && line.contains(", sequence 2, at orders.events.v1-") && line.contains(": SQLState 22"));
    }

    private void poisonEventsStopOnlyTheirOrders(String t1, String t2) throws Exception {
        String order = Orders.place(stack, t1, "poisoned");
        String other = Orders.place(stack, t1, "poisoned-too");
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.api.getOrder(t1, order).statusCode() == 200
                && stack.api.getOrder(t1, other).statusCode() == 200);

        // a NUL in the reason of #2 (jsonb refuses it) and a valid #3 behind it; a lone surrogate in another order
        RecordMetadata nul = produce(statusChanged(t1, order, 2, OrderStatus.PENDING, OrderStatus.PROCESSING,
                CONTENT + "\u0000"));
        RecordMetadata held = produce(statusChanged(t1, order, 3, OrderStatus.PROCESSING, OrderStatus.SHIPPED, "ok"));
        RecordMetadata surrogate = produce(statusChanged(t1, other, 2, OrderStatus.PENDING, OrderStatus.PROCESSING,
                CONTENT + "-lone"), CONTENT + "-lone", CONTENT + "\\ud800");

        // orders placed after the poison, of the same tenant and of another, are read as usual
        String sameTenant = Orders.place(stack, t1, "after-1");
        String otherTenant = Orders.place(stack, t2, "after-2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(stack.api.getOrder(t1, sameTenant).statusCode()).isEqualTo(200);
            assertThat(stack.api.getOrder(t2, otherTenant).statusCode()).isEqualTo(200);
        });
        // each poisoned order stops before its first unwritable event: it never skips a sequence
        for (String poisoned : List.of(order, other)) {
            HttpResponse<String> read = stack.api.getOrder(t1, poisoned);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"status\":\"PENDING\"").contains("\"version\":1");
        }
        assertThat(Sql.queryString(stack, "SELECT count(*)::text FROM projection_set_aside WHERE tenant_id = ?", t1))
                .isEqualTo("3");

        // counted in the processor's metrics and shown in its health, which stays UP
        HttpClient http = HttpClient.newHttpClient();
        String processor = "http://localhost:" + stack.services.processorPort();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(processor + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher gauge = Pattern.compile("(?m)^orders_projection_set_aside_events(?:\\{[^}]*})? (\\S+)$")
                    .matcher(metrics);
            assertThat(gauge.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(gauge.group(1))).isGreaterThanOrEqualTo(3);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(processor
                    + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            var projection = Json.MAPPER.readTree(health.body()).get("components").get("projection");
            assertThat(projection.get("status").asString()).isEqualTo("UP");
            assertThat(projection.get("details").get("setAside").asLong()).isGreaterThanOrEqualTo(3);
        });

        // verify lists them by their coordinates, without their content, and fails
        OpsRun.Result verify = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", t1));
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out())
                .contains("SET ASIDE " + t1 + "/" + order + "#2 at " + position(nul))
                .containsPattern("#2 at \\S+ \\(event [0-9a-f-]+\\): SQLState 22")
                .contains("SET ASIDE " + t1 + "/" + order + "#3 at " + position(held))
                .contains("SET ASIDE " + t1 + "/" + other + "#2 at " + position(surrogate))
                .containsPattern(other + "#2 at \\S+ \\(event [0-9a-f-]+\\): SQLState 22")
                .contains("held behind an earlier event of its order")
                .contains("SET ASIDE: 3 events of tenant " + t1)
                .doesNotContain("MISMATCH").doesNotContain("EVENTS ").doesNotContain(CONTENT);
        assertThat(verify.err()).doesNotContain(CONTENT);

        // a rebuild holds the order back the same way and does not fail on it
        OpsRun.Result rebuild = OpsRun.run(withKafkaAndDb(stack, "projection", "rebuild"));
        assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("held: " + t1 + "/" + order + "#2 at " + position(nul))
                .doesNotContain(CONTENT);
        assertThat(stack.api.getOrder(t1, order).body()).contains("\"version\":1");
        assertThat(stack.api.getOrder(t1, sameTenant).statusCode()).isEqualTo(200);

        // a NUL cannot be fixed in PostgreSQL: retry says so, and keeps the events set aside, in order
        OpsRun.Result retry = OpsRun.run(withKafkaAndDb(stack, "projection", "retry", "--tenant", t1, "--order", order));
        assertThat(retry.exitCode()).as(retry.toString()).isEqualTo(1);
        assertThat(retry.out()).contains("still set aside " + t1 + "/" + order + "#2")
                .contains("0 events applied, 2 still set aside").doesNotContain(CONTENT);
    }

    @Test
    void setAsideEvent_isAppliedByRetry_onceTheCauseIsFixed_andVerifyIsCleanAgain() throws Exception {
        String tenant = TestStack.newTenant();
        String order = "o-" + UUID.randomUUID();
        // a currency of four letters does not fit orders.currency char(3): value too long (22001)
        RecordMetadata placed = produce(envelope(tenant, order, 1, new OrderEvent.OrderPlaced("c-1", "EURO",
                List.of(new OrderLine("sku-1", 2, 150)), 300)));
        RecordMetadata moved = produce(statusChanged(tenant, order, 2, OrderStatus.PENDING, OrderStatus.PROCESSING,
                "picked"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(Sql.queryString(stack,
                "SELECT count(*)::text FROM projection_set_aside WHERE tenant_id = ? AND order_id = ?", tenant, order)));
        assertThat(stack.api.getOrder(tenant, order).statusCode()).isEqualTo(404);

        OpsRun.Result before = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(1);
        assertThat(before.out()).contains("SET ASIDE " + tenant + "/" + order + "#1 at " + position(placed)
                + " (event ").contains("SQLState 22001").contains("#2 at " + position(moved));

        OpsRun.Result notYet = OpsRun.run(withKafkaAndDb(stack, "projection", "retry", "--tenant", tenant));
        assertThat(notYet.exitCode()).as(notYet.toString()).isEqualTo(1);
        assertThat(notYet.out()).contains("PostgreSQL refuses it again (SQLState 22001)")
                .contains("0 events applied, 2 still set aside of tenant " + tenant);

        // the operator's fix: a migration widening the column
        Sql.execute(stack, "ALTER TABLE orders ALTER COLUMN currency TYPE varchar(8)");
        OpsRun.Result retry = OpsRun.run(withKafkaAndDb(stack, "projection", "retry", "--tenant", tenant));
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("applied " + tenant + "/" + order + "#1 at " + position(placed))
                .contains("applied " + tenant + "/" + order + "#2 at " + position(moved))
                .contains("2 events applied, 0 still set aside");

        HttpResponse<String> read = stack.api.getOrder(tenant, order);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"status\":\"PROCESSING\"").contains("\"currency\":\"EURO\"");
        OpsRun.Result after = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).contains("projection verify: OK: 1 orders and 2 events of tenant " + tenant);

        // the order is no longer held: its next event is projected as usual
        produce(statusChanged(tenant, order, 3, OrderStatus.PROCESSING, OrderStatus.SHIPPED, "shipped"));
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.api.getOrder(tenant, order).body()
                .contains("\"status\":\"SHIPPED\""));
    }

    static String position(RecordMetadata written) {
        return written.topic() + "-" + written.partition() + "@" + written.offset();
    }

    static EventEnvelope statusChanged(String tenant, String order, long sequence, OrderStatus from, OrderStatus to,
            String reason) {
        return envelope(tenant, order, sequence, new OrderEvent.OrderStatusChanged(from, to, reason, "ops-test"));
    }

    static EventEnvelope envelope(String tenant, String order, long sequence, OrderEvent event) {
        return new EventEnvelope(SchemaVersions.EVENT, UUID.randomUUID().toString(), tenant, order, sequence,
                Instant.now(), "cmd-" + UUID.randomUUID(), "req-" + UUID.randomUUID(), "key-" + sequence, event);
    }

    static RecordMetadata produce(EventEnvelope event) throws Exception {
        return produce(event, "", "");
    }

    /**
     * Writes an envelope as any producer could, keyed as the processor keys it, with {@code text} of
     * its JSON replaced by {@code json}; returns where it landed.
     */
    static RecordMetadata produce(EventEnvelope event, String text, String json) throws Exception {
        byte[] value = text.isEmpty() ? Json.write(event)
                : new String(Json.write(event), java.nio.charset.StandardCharsets.UTF_8).replace(text, json)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.key().toString(), value)).get();
        }
    }
}
