package io.orderstream.processor.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Traceparent;
import io.orderstream.events.contract.MessageValidator;
import io.orderstream.events.Topics;
import io.orderstream.idempotency.IdempotencyPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderTopologyTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration TTL = Duration.ofHours(24);
    private static final int PURGE_BATCH = 100;
    private static final OrderCommand.PlaceOrder PLACE = new OrderCommand.PlaceOrder("cust-1", "EUR",
            List.of(new OrderLine("SKU-1", 2, 1250)));

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> commands;
    private TestOutputTopic<String, EventEnvelope> events;
    private TestOutputTopic<String, CommandResult> results;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void startDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-processor-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // a purge budget no purge here runs out of, however slow the machine
        TopologySettings settings = new TopologySettings(new IdempotencyPolicy(TTL), Duration.ofMinutes(1),
                PURGE_BATCH, Duration.ofMinutes(1), true, ProcessorMetrics.NONE);
        driver = new TopologyTestDriver(OrderTopology.build(settings), config, START);
        commands = driver.createInputTopic(Topics.COMMANDS.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        events = driver.createOutputTopic(Topics.EVENTS.name(), Topics.EVENTS.keySerde().deserializer(),
                Topics.EVENTS.valueSerde().deserializer());
        results = driver.createOutputTopic(Topics.COMMAND_RESULTS.name(),
                Topics.COMMAND_RESULTS.keySerde().deserializer(), Topics.COMMAND_RESULTS.valueSerde().deserializer());
        dlq = driver.createOutputTopic(Topics.COMMANDS_DLQ.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void newCommand_appendsEvent_andAnswersWithTheOrder() {
        send(command("o-1", "k1", "fp1", PLACE));

        List<TestRecord<String, EventEnvelope>> appended = events.readRecordsToList();
        assertThat(appended).hasSize(1);
        assertThat(appended.get(0).key()).isEqualTo("acme/o-1");
        EventEnvelope event = appended.get(0).value();
        assertThat(event.sequence()).isEqualTo(1);
        assertThat(event.event()).isEqualTo(new OrderEvent.OrderPlaced("cust-1", "EUR", PLACE.lines(), 2500));
        assertThat(event.idempotencyKey()).isEqualTo("k1");

        CommandResult result = results.readValue();
        assertThat(result.status()).isEqualTo(201);
        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.APPLIED);
        assertThat(result.replayed()).isFalse();
        assertThat(result.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(result.order().version()).isEqualTo(1);
        assertThat(result.order().totalMinor()).isEqualTo(2500);
    }

    @Test
    void eventsAndResults_carryContentTypeSchemaAndTheCommandsTrace_andMatchTheirSchemas() {
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        send(command("o-1", "k1", "fp1", PLACE));
        results.readValue();
        events.readRecordsToList();
        CommandEnvelope change = new CommandEnvelope(SchemaVersions.COMMAND, "cmd-2", "req-2", "acme", "o-1", "k2",
                "fp2", START, new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "picked"), "picker@acme");
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageHeaders.TRACEPARENT, utf8(incoming));
        headers.add(MessageHeaders.SCHEMA, utf8(MessageSchema.COMMAND.schemaName()));
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), Json.write(change), headers));

        TestRecord<String, EventEnvelope> event = events.readRecord();
        TestRecord<String, CommandResult> result = results.readRecord();

        assertThat(event.value().schemaVersion()).isEqualTo(SchemaVersions.EVENT);
        assertThat(event.value().event()).isEqualTo(new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.PROCESSING, "picked", "picker@acme"));
        MessageValidator.assertValid(MessageSchema.EVENT, SchemaVersions.EVENT, Json.write(event.value()));
        MessageValidator.assertValid(MessageSchema.RESULT, SchemaVersions.RESULT, Json.write(result.value()));
        assertThat(MessageValidator.recordViolations(MessageSchema.EVENT, Json.write(event.value()), event.headers()))
                .isEmpty();
        assertThat(MessageValidator.recordViolations(MessageSchema.RESULT, Json.write(result.value()),
                result.headers())).isEmpty();
        Traceparent eventTrace = trace(event.headers());
        Traceparent resultTrace = trace(result.headers());
        assertThat(eventTrace.traceId()).isEqualTo(resultTrace.traceId()).isEqualTo(incoming.substring(3, 35));
        assertThat(eventTrace.spanId()).isNotEqualTo(resultTrace.spanId()).isNotEqualTo(incoming.substring(36, 52));
        assertThat(event.headers().headers(MessageHeaders.TRACEPARENT)).hasSize(1);
    }

    @Test
    void aCommandWithoutTrace_startsOne() {
        send(command("o-1", "k1", "fp1", PLACE));

        assertThat(trace(events.readRecord().headers()).traceId()).isEqualTo(trace(results.readRecord().headers())
                .traceId());
    }

    @Test
    void duplicateCommand_isReplayed_withoutNewEvent() {
        send(command("o-1", "k1", "fp1", PLACE));
        CommandResult first = results.readValue();
        events.readRecordsToList();

        CommandEnvelope duplicate = command("o-1", "k1", "fp1", PLACE);
        send(duplicate);

        assertThat(events.isEmpty()).isTrue();
        CommandResult replay = results.readValue();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.requestId()).isEqualTo(duplicate.requestId());
        assertThat(replay.status()).isEqualTo(first.status());
        assertThat(replay.order()).isEqualTo(first.order());
    }

    @Test
    void sameKeyWithOtherRequest_isRefusedWith422_andNothingChanges() {
        send(command("o-1", "k1", "fp1", PLACE));
        results.readValue();
        events.readRecordsToList();

        send(command("o-1", "k1", "fp-other", new OrderCommand.ChangeStatus(OrderStatus.CANCELED, null)));

        assertThat(events.isEmpty()).isTrue();
        CommandResult refused = results.readValue();
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problem().type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED.uri().toString());
        assertThat(orderState("o-1").status()).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void invalidTransition_isRejected_rememberedAndReplayed() {
        send(command("o-1", "k1", "fp1", PLACE));
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, null)));
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, null)));

        assertThat(events.readRecordsToList()).hasSize(1);
        List<CommandResult> answers = results.readValuesToList();
        assertThat(answers).hasSize(3);
        assertThat(answers.get(1).status()).isEqualTo(409);
        assertThat(answers.get(1).problem().type()).isEqualTo(ProblemType.INVALID_TRANSITION.uri().toString());
        assertThat(answers.get(2).replayed()).isTrue();
        assertThat(answers.get(2).problem()).isEqualTo(answers.get(1).problem());
    }

    @Test
    void statusTheOrderAlreadyHas_answersCurrentState_withoutEvent() {
        send(command("o-1", "k1", "fp1", PLACE));
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.PENDING, null)));

        assertThat(events.readRecordsToList()).hasSize(1);
        List<CommandResult> answers = results.readValuesToList();
        assertThat(answers.get(1).status()).isEqualTo(200);
        assertThat(answers.get(1).outcome()).isEqualTo(CommandResult.Outcome.UNCHANGED);
        assertThat(answers.get(1).order().version()).isEqualTo(1);
    }

    @Test
    void statusChanges_haveConsecutiveSequences() {
        send(command("o-1", "k1", "fp1", PLACE));
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "picked")));
        send(command("o-1", "k3", "fp3", new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, null)));

        assertThat(events.readValuesToList()).extracting(EventEnvelope::sequence).containsExactly(1L, 2L, 3L);
        assertThat(orderState("o-1").status()).isEqualTo(OrderStatus.SHIPPED);
    }

    @Test
    void unknownOrder_isRejectedAs404() {
        send(command("nope", "k1", "fp1", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null)));

        assertThat(results.readValue().status()).isEqualTo(404);
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void sameKeyOfAnotherTenant_isIndependent() {
        send(command("acme", "o-1", "k1", "fp1", PLACE));
        send(command("globex", "o-1", "k1", "fp-globex", PLACE));

        List<CommandResult> answers = results.readValuesToList();
        assertThat(answers).extracting(CommandResult::status).containsExactly(201, 201);
        assertThat(answers).extracting(CommandResult::replayed).containsExactly(false, false);
        assertThat(events.readRecordsToList()).hasSize(2);
    }

    @Test
    void expiredKey_isTreatedAsNew() {
        send(command("o-1", "k1", "fp1", PLACE));
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.CANCELED, null)));
        results.readValuesToList();

        driver.advanceWallClockTime(TTL.plusMinutes(2));
        send(command("o-1", "k2", "fp-new", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null)));

        CommandResult answer = results.readValue();
        assertThat(answer.replayed()).isFalse();
        assertThat(answer.status()).isEqualTo(409); // run again: CANCELED is final
    }

    @Test
    void periodicPurge_goesOnPastOneBatch_whileKeysAreExpired() {
        // three batches of keys expire while none arrive: one punctuation removes them all
        int keys = 3 * PURGE_BATCH;
        for (int i = 0; i < keys; i++) {
            send(command("o-" + i, "k", "fp", PLACE));
        }
        assertThat(idempotencyEntries()).isEqualTo(2L * keys);

        driver.advanceWallClockTime(TTL.plusMinutes(2));

        assertThat(idempotencyEntries()).isZero();
    }

    @Test
    void poisonRecords_goToTheDlqWithTheirError_andProcessingContinues() {
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), utf8("not json")));
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), utf8("{\"schemaVersion\":7}")));
        // missing fields, and a wrong type
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), utf8("{\"schemaVersion\":1,\"tenantId\":\"acme\"}")));
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), utf8(new String(Json.write(command("o-1", "k1", "fp1",
                PLACE)), StandardCharsets.UTF_8).replace("\"quantity\":2", "\"quantity\":\"two\""))));
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), (byte[]) null));
        // a valid command under the wrong key would land on the wrong partition: refused too
        commands.pipeInput(new TestRecord<>(utf8("acme/other"), Json.write(command("o-1", "k1", "fp1", PLACE))));
        send(command("o-1", "k1", "fp1", PLACE));

        List<TestRecord<byte[], byte[]>> parked = dlq.readRecordsToList();
        assertThat(parked).hasSize(6);
        assertThat(new String(parked.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(new String(parked.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("acme/o-1");
        assertThat(header(parked.get(0), Topics.DlqHeaders.SOURCE_TOPIC)).isEqualTo(Topics.COMMANDS.name());
        assertThat(header(parked.get(0), Topics.DlqHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(parked.get(0), Topics.DlqHeaders.ERROR_CLASS)).isNotBlank();
        assertThat(header(parked.get(1), Topics.DlqHeaders.ERROR_MESSAGE)).contains("schemaVersion");
        assertThat(header(parked.get(2), Topics.DlqHeaders.ERROR_MESSAGE)).contains("required");
        assertThat(header(parked.get(3), Topics.DlqHeaders.ERROR_MESSAGE)).contains("quantity");
        assertThat(header(parked.get(4), Topics.DlqHeaders.ERROR_MESSAGE)).contains("no value");
        assertThat(header(parked.get(5), Topics.DlqHeaders.ERROR_MESSAGE)).contains("acme/other");
        assertThat(header(parked.get(5), Topics.DlqHeaders.SOURCE_OFFSET)).isEqualTo("5");
        assertThat(results.readValue().status()).isEqualTo(201);
    }

    private long idempotencyEntries() {
        long count = 0;
        try (var all = driver.getKeyValueStore(OrderTopology.IDEMPOTENCY_STORE).all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private OrderState orderState(String orderId) {
        return driver.<String, OrderState>getKeyValueStore(OrderTopology.ORDER_STATE_STORE).get("acme/" + orderId);
    }

    private void send(CommandEnvelope command) {
        commands.pipeInput(utf8(command.key().toString()), Json.write(command));
    }

    private static CommandEnvelope command(String orderId, String key, String fingerprint, OrderCommand body) {
        return command("acme", orderId, key, fingerprint, body);
    }

    private static CommandEnvelope command(String tenant, String orderId, String key, String fingerprint,
            OrderCommand body) {
        return new CommandEnvelope(1, UUID.randomUUID().toString(), UUID.randomUUID().toString(), tenant, orderId,
                key, fingerprint, START, body);
    }

    private static Traceparent trace(Headers headers) {
        return Traceparent.parse(MessageHeaders.lastString(headers, MessageHeaders.TRACEPARENT).orElseThrow())
                .orElseThrow();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
