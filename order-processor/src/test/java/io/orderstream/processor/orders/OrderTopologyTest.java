package io.orderstream.processor.orders;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import io.orderstream.events.ResultHeaders;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Traceparent;
import io.orderstream.events.contract.MessageValidator;
import io.orderstream.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderstream.idempotency.IdempotencyListener;
import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.idempotency.IdempotencyStore;
import io.orderstream.idempotency.IdempotencyStores;
import io.orderstream.idempotency.Lookup;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class OrderTopologyTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final int PURGE_BATCH = 100;
    private static final OrderCommand.PlaceOrder PLACE = new OrderCommand.PlaceOrder("cust-1", "EUR",
            List.of(new OrderLine("SKU-1", 2, 1250)));

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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
                PURGE_BATCH, Duration.ofMinutes(1), true, SKEW, new MicrometerProcessorMetrics(registry, List.of(), 10));
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
    void everyResult_carriesTheHeadersToRouteAndCacheIt_andOnlyStoredAnswersAnExpiry() {
        CommandEnvelope place = command("o-1", "k1", "fp1", PLACE);
        send(place);
        send(command("o-1", "k1", "fp1", PLACE)); // replay
        send(command("o-1", "k1", "fp-other", PLACE)); // 422, nothing stored
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, null))); // 409, stored
        send(command("acme", "o-2", "k3", "fp3", PLACE, START.minus(TTL))); // expired, nothing stored

        List<TestRecord<String, CommandResult>> answers = results.readRecordsToList();
        assertThat(answers).hasSize(5);
        long expiresAt = START.plus(TTL).toEpochMilli();
        for (TestRecord<String, CommandResult> answer : answers) {
            CommandResult result = answer.value();
            assertThat(resultHeader(answer, ResultHeaders.REQUEST_ID)).isEqualTo(result.requestId());
            assertThat(resultHeader(answer, ResultHeaders.STATUS)).isEqualTo(Integer.toString(result.status()));
            assertThat(resultHeader(answer, ResultHeaders.OUTCOME)).isEqualTo(result.outcome().name());
            assertThat(resultHeader(answer, ResultHeaders.REPLAYED)).isEqualTo(Boolean.toString(result.replayed()));
        }
        assertThat(answers).extracting(answer -> resultHeader(answer, ResultHeaders.IDEMPOTENCY_KEY))
                .containsExactly("k1", "k1", "k1", "k2", "k3");
        assertThat(answers).extracting(answer -> resultHeader(answer, ResultHeaders.FINGERPRINT))
                .containsExactly("fp1", "fp1", "fp-other", "fp2", "fp3");
        assertThat(answers).extracting(answer -> resultHeader(answer, ResultHeaders.KEY_EXPIRES_AT))
                .containsExactly(Long.toString(expiresAt), Long.toString(expiresAt), null, Long.toString(expiresAt),
                        null);
        assertThat(answers).extracting(answer -> answer.value().outcome()).containsExactly(
                CommandResult.Outcome.APPLIED, CommandResult.Outcome.APPLIED, CommandResult.Outcome.KEY_REUSED,
                CommandResult.Outcome.REJECTED, CommandResult.Outcome.EXPIRED);
        assertThat(answers.get(0).value().requestId()).isEqualTo(place.requestId());
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
        // a new request (its own time is now) under the expired key
        send(command("acme", "o-1", "k2", "fp-new", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null),
                START.plus(TTL).plus(Duration.ofMinutes(2))));

        CommandResult answer = results.readValue();
        assertThat(answer.replayed()).isFalse();
        assertThat(answer.status()).isEqualTo(409); // run again: CANCELED is final
    }

    @Test
    void replayPastTheTtl_ofCommandsAnswered409And422_isAnsweredExpired_withoutEventStateChangeOrStoredKey() {
        send(command("o-1", "k1", "fp1", PLACE));
        CommandEnvelope tooEarly = command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, null));
        send(tooEarly);
        send(command("o-1", "k3", "fp3", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null)));
        CommandEnvelope reused = command("o-1", "k1", "fp-other", new OrderCommand.ChangeStatus(OrderStatus.CANCELED,
                null));
        send(reused);
        assertThat(results.readValuesToList()).extracting(CommandResult::status).containsExactly(201, 409, 200, 422);
        assertThat(events.readRecordsToList()).hasSize(2);

        // the keys are purged; decided again, both would now apply (PROCESSING -> SHIPPED, -> CANCELED)
        driver.advanceWallClockTime(TTL.plusMinutes(2));
        send(tooEarly);
        send(reused);

        List<CommandResult> answers = results.readValuesToList();
        assertThat(answers).hasSize(2).allSatisfy(answer -> {
            assertThat(answer.outcome()).isEqualTo(CommandResult.Outcome.EXPIRED);
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.replayed()).isFalse();
            assertThat(answer.problem().type()).isEqualTo("urn:order-stream:problem:command-expired");
            assertThat(answer.problem().detail()).contains(START.toString()).contains("TTL (PT24H)")
                    .contains("nothing changed");
            MessageValidator.assertValid(MessageSchema.RESULT, SchemaVersions.RESULT, Json.write(answer));
        });
        assertThat(answers).extracting(CommandResult::requestId)
                .containsExactly(tooEarly.requestId(), reused.requestId());
        assertThat(events.isEmpty()).isTrue();
        assertThat(orderState("o-1").status()).isEqualTo(OrderStatus.PROCESSING);
        assertThat(orderState("o-1").version()).isEqualTo(2);
        long now = START.plus(TTL).plus(Duration.ofMinutes(2)).toEpochMilli();
        assertThat(idempotencyStore().lookup("acme/o-1", "k2", "fp2", now)).isEqualTo(new Lookup.New(false));
        assertThat(idempotencyStore().lookup("acme/o-1", "k1", "fp-other", now)).isEqualTo(new Lookup.New(false));
        assertThat(registry.counter("orders.commands.answered", "outcome", "expired", "replayed", "false",
                "tenant", "acme").count()).isEqualTo(2);
    }

    @Test
    void commandPastTheTtl_whoseKeyIsStillStored_isAnsweredExpired_notReplayed() {
        // in its window when it came: applied, its key remembered until START + TTL
        CommandEnvelope late = command("acme", "o-1", "k1", "fp1", PLACE, START.minus(TTL).plusSeconds(1));
        send(late);
        assertThat(results.readValue().status()).isEqualTo(201);
        events.readRecordsToList();

        // two seconds on: the key is still stored (no purge ran), but the command is past its window
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        send(late);

        CommandResult answer = results.readValue();
        assertThat(answer.outcome()).isEqualTo(CommandResult.Outcome.EXPIRED);
        assertThat(answer.replayed()).isFalse();
        assertThat(events.isEmpty()).isTrue();
        assertThat(idempotencyStore().lookup("acme/o-1", "k1", "fp1", START.plusSeconds(2).toEpochMilli()))
                .isInstanceOf(Lookup.Replay.class);
        // the boundary: a TTL old exactly is out, a millisecond younger is in
        send(command("acme", "o-2", "k1", "fp1", PLACE, START.plusSeconds(2).minus(TTL)));
        send(command("acme", "o-3", "k1", "fp1", PLACE, START.plusSeconds(2).minus(TTL).plusMillis(1)));
        assertThat(results.readValuesToList()).extracting(CommandResult::outcome)
                .containsExactly(CommandResult.Outcome.EXPIRED, CommandResult.Outcome.APPLIED);
    }

    @Test
    void commandDatedBeyondTheClockSkew_isAnsweredExpired_andOneWithinIt_isRememberedForItsWholeWindow() {
        send(command("acme", "o-1", "k1", "fp1", PLACE, START.plus(SKEW).plusMillis(1)));
        CommandEnvelope ahead = command("acme", "o-2", "k1", "fp1", PLACE, START.plus(SKEW));
        send(ahead);

        assertThat(results.readValuesToList()).extracting(CommandResult::outcome)
                .containsExactly(CommandResult.Outcome.EXPIRED, CommandResult.Outcome.APPLIED);
        assertThat(events.readRecordsToList()).hasSize(1);
        assertThat(orderState("o-1")).isNull();

        // a TTL after the processor took it, but less than a TTL after its own time: still a duplicate
        driver.advanceWallClockTime(TTL.plusSeconds(30));
        send(ahead);

        CommandResult replay = results.readValue();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.status()).isEqualTo(201);
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void storesWrittenByTheEarlierVersion_areRead_theirAnswersReplayedAsThen_andTheOrderGoesOn() {
        // what a processor before format 2 left in its state directory and changelogs (LegacyStores)
        KeyValueStore<Bytes, byte[]> idempotency = driver.getKeyValueStore(OrderTopology.IDEMPOTENCY_STORE);
        LegacyStores.IDEMPOTENCY.forEach(entry -> idempotency.put(Bytes.wrap(entry.getKey()), entry.getValue()));
        driver.<String, byte[]>getKeyValueStore(OrderTopology.ORDER_STATE_STORE).put("acme/o-1",
                LegacyStores.ORDER_STATE);
        TestOutputTopic<byte[], byte[]> rawResults = driver.createOutputTopic(Topics.COMMAND_RESULTS.name(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());

        CommandEnvelope placedAgain = command("o-1", "k1", "fp1", PLACE);
        CommandEnvelope rejectedAgain = command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.SHIPPED,
                null));
        send(placedAgain);
        send(rejectedAgain);
        send(command("o-1", "k1", "fp-other", PLACE));

        // the same bytes that version answered with, addressed to the duplicate and marked replayed
        List<byte[]> answers = rawResults.readValuesToList();
        assertThat(new String(answers.get(0), StandardCharsets.UTF_8)).isEqualTo(LegacyStores.PLACED_RESULT
                .replace("\"req-1\"", "\"" + placedAgain.requestId() + "\"")
                .replace("\"cmd-1\"", "\"" + placedAgain.commandId() + "\"")
                .replace("\"replayed\":false", "\"replayed\":true"));
        assertThat(new String(answers.get(1), StandardCharsets.UTF_8)).isEqualTo(LegacyStores.REJECTED_RESULT
                .replace("\"req-2\"", "\"" + rejectedAgain.requestId() + "\"")
                .replace("\"cmd-2\"", "\"" + rejectedAgain.commandId() + "\"")
                .replace("\"replayed\":false", "\"replayed\":true"));
        assertThat(Json.read(answers.get(2), CommandResult.class).status()).isEqualTo(422);
        assertThat(events.isEmpty()).isTrue();

        // the order's stored state (JSON without a format byte) is read, and the next change applies
        send(command("o-1", "k3", "fp3", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null)));
        CommandResult moved = Json.read(rawResults.readValue(), CommandResult.class);
        assertThat(moved.outcome()).isEqualTo(CommandResult.Outcome.APPLIED);
        assertThat(moved.order().version()).isEqualTo(2);
        assertThat(moved.order().lines()).isEqualTo(PLACE.lines());
        assertThat(events.readValue().sequence()).isEqualTo(2);
        byte[] stored = driver.<String, byte[]>getKeyValueStore(OrderTopology.ORDER_STATE_STORE).get("acme/o-1");
        assertThat(stored[0]).as("written in format 1 from now on").isEqualTo(OrderStates.FORMAT_1);
        assertThat(orderState("o-1")).isEqualTo(moved.order());
    }

    @Test
    void eachCommand_writesTheOrderOnce_theResultCarriesTheStoredBytes() {
        TestOutputTopic<byte[], byte[]> rawResults = driver.createOutputTopic(Topics.COMMAND_RESULTS.name(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        send(command("o-1", "k1", "fp1", PLACE));
        send(command("o-1", "k2", "fp2", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "picked")));

        for (byte[] value : rawResults.readValuesToList()) {
            CommandResult result = Json.read(value, CommandResult.class);
            assertThat(value).as("the processor's result bytes are what Json.write gives").isEqualTo(Json.write(result));
        }
        byte[] stored = driver.<String, byte[]>getKeyValueStore(OrderTopology.ORDER_STATE_STORE).get("acme/o-1");
        assertThat(java.util.Arrays.copyOfRange(stored, 1, stored.length)).isEqualTo(Json.write(orderState("o-1")));
    }

    @Test
    void periodicPurge_goesOnPastOneBatch_whileKeysAreExpired() {
        // three batches of keys expire while none arrive: one punctuation removes them all
        int keys = 3 * PURGE_BATCH;
        for (int i = 0; i < keys; i++) {
            send(command("o-" + i, "k", "fp", PLACE));
        }
        assertThat(idempotencyEntries()).as("one entry per key").isEqualTo(keys);

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

    @Test
    void foreignCommandWithTextTheSystemCannotKeep_isParkedAndAnsweredAsFailed_appendingNothing() {
        send(command("o-1", "k-place", "fp1", PLACE));
        events.readRecordsToList();
        results.readRecordsToList();
        // as another producer might write them straight to the topic: NUL, lone high and low
        // surrogates, a C1 control, a noncharacter, in a field of the command or of the envelope
        List<CommandEnvelope> foreign = List.of(
                command("o-2", "k1", "fp", new OrderCommand.PlaceOrder("secret\u0000cust", "EUR", PLACE.lines())),
                command("o-2", "k2", "fp", new OrderCommand.PlaceOrder("cust-1", "EUR",
                        List.of(new OrderLine("SKU-1", 1, 100), new OrderLine("secret\udc00sku", 1, 100)))),
                command("o-1", "k3", "fp", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "secret\ud800reason")),
                command("o-1", "k4", "fp", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "secret\u0085reason")),
                command("o-1", "k5", "fp", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "secret\uffffreason")),
                command("o-1", "secret\u0000key", "fp", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null)),
                new CommandEnvelope(SchemaVersions.COMMAND, "cmd-7", "req-7", "acme", "o-1", "k7", "fp", START,
                        new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null), "secret\ud800actor"));
        List<String> fields = List.of("customerId", "lines[1].sku", "reason", "reason", "reason", "idempotencyKey",
                "actor");
        for (CommandEnvelope command : foreign) {
            send(command);
        }

        List<TestRecord<byte[], byte[]>> parked = dlq.readRecordsToList();
        List<CommandResult> answers = results.readValuesToList();
        assertThat(events.readRecordsToList()).isEmpty();
        assertThat(parked).hasSize(foreign.size());
        assertThat(answers).hasSize(foreign.size());
        for (int i = 0; i < foreign.size(); i++) {
            TestRecord<byte[], byte[]> record = parked.get(i);
            assertThat(record.value()).isEqualTo(Json.write(foreign.get(i)));
            assertThat(header(record, Topics.DlqHeaders.ERROR_CLASS)).endsWith("UnkeepableTextException");
            assertThat(header(record, Topics.DlqHeaders.ERROR_MESSAGE)).startsWith(fields.get(i) + ": ")
                    .contains("U+");
            for (Header header : record.headers()) {
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).as(header.key())
                        .doesNotContain("secret");
            }
            CommandResult answer = answers.get(i);
            assertThat(answer.requestId()).isEqualTo(foreign.get(i).requestId());
            assertThat(answer.outcome()).isEqualTo(CommandResult.Outcome.FAILED);
            assertThat(answer.problem().type()).isEqualTo(ProblemType.PROCESSING_FAILED.uri().toString());
            assertThat(answer.problem().detail()).doesNotContain("secret");
        }
        assertThat(orderState("o-1").status()).isEqualTo(OrderStatus.PENDING);
        assertThat(orderState("o-2")).isNull();
        // nothing was remembered for the keys, and the order goes on
        send(command("o-1", "k3", "fp-ok", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "picked")));
        assertThat(results.readValue().status()).isEqualTo(200);
        assertThat(events.readRecordsToList()).hasSize(1);
    }

    @Test
    void commandWithAMemberNamedTwice_isParked_neverAppliedWithTheLastValue() {
        send(command("o-1", "k-place", "fp1", PLACE));
        events.readRecordsToList();
        results.readRecordsToList();
        String change = new String(Json.write(command("o-1", "k1", "fp", new OrderCommand.ChangeStatus(
                OrderStatus.PROCESSING, null))), StandardCharsets.UTF_8);
        String place = new String(Json.write(command("o-2", "k2", "fp", PLACE)), StandardCharsets.UTF_8);
        List<String> ambiguous = List.of(
                change.replace("\"status\":\"PROCESSING\"", "\"status\":\"PROCESSING\",\"status\":\"CANCELED\""),
                change.replace("\"tenantId\":\"acme\"", "\"tenantId\":\"acme\",\"tenantId\":\"acme\""),
                place.replace("\"sku\":\"SKU-1\"", "\"sku\":\"SKU-1\",\"sku\":\"SKU-2\""));
        assertThat(ambiguous).doesNotContain(change, place);
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), utf8(ambiguous.get(0))));
        commands.pipeInput(new TestRecord<>(utf8("acme/o-1"), utf8(ambiguous.get(1))));
        commands.pipeInput(new TestRecord<>(utf8("acme/o-2"), utf8(ambiguous.get(2))));

        List<TestRecord<byte[], byte[]>> parked = dlq.readRecordsToList();
        assertThat(parked).hasSize(3);
        assertThat(parked).extracting(record -> header(record, Topics.DlqHeaders.ERROR_MESSAGE))
                .allSatisfy(message -> assertThat(message).contains("Duplicate"));
        assertThat(events.readRecordsToList()).isEmpty();
        assertThat(orderState("o-1").status()).isEqualTo(OrderStatus.PENDING);
        assertThat(orderState("o-2")).isNull();
    }

    @Test
    void parkedCommands_areLogged_withoutQuotingTheirContent() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(CommandProcessor.class);
        logger.addAppender(logs);
        try {
            send(command("o-1", "k1", "fp", new OrderCommand.PlaceOrder("secret\u0000cust", "EUR", PLACE.lines())));
            String wrongType = new String(Json.write(command("o-2", "k2", "fp", PLACE)), StandardCharsets.UTF_8)
                    .replace("\"quantity\":2", "\"quantity\":\"secret-two\"");
            commands.pipeInput(new TestRecord<>(utf8("acme/o-2"), utf8(wrongType)));
            commands.pipeInput(new TestRecord<>(utf8("acme/o-3"), utf8("{\"secret\":\"x\" oops")));
        } finally {
            logger.detachAppender(logs);
        }

        assertThat(dlq.readRecordsToList()).hasSize(3);
        assertThat(logs.list).hasSize(3).extracting(ILoggingEvent::getFormattedMessage)
                .allSatisfy(line -> assertThat(line).contains("parked").doesNotContain("secret"))
                .anySatisfy(line -> assertThat(line).contains("customerId", "U+0000"))
                .anySatisfy(line -> assertThat(line).contains("quantity"));
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
        return OrderStates.decode(driver.<String, byte[]>getKeyValueStore(OrderTopology.ORDER_STATE_STORE)
                .get("acme/" + orderId));
    }

    private void send(CommandEnvelope command) {
        commands.pipeInput(utf8(command.key().toString()), Json.write(command));
    }

    private static CommandEnvelope command(String orderId, String key, String fingerprint, OrderCommand body) {
        return command("acme", orderId, key, fingerprint, body);
    }

    private static CommandEnvelope command(String tenant, String orderId, String key, String fingerprint,
            OrderCommand body) {
        return command(tenant, orderId, key, fingerprint, body, START);
    }

    private static CommandEnvelope command(String tenant, String orderId, String key, String fingerprint,
            OrderCommand body, Instant occurredAt) {
        return new CommandEnvelope(1, UUID.randomUUID().toString(), UUID.randomUUID().toString(), tenant, orderId,
                key, fingerprint, occurredAt, body);
    }

    private IdempotencyStore idempotencyStore() {
        return IdempotencyStores.open(driver.getKeyValueStore(OrderTopology.IDEMPOTENCY_STORE), new IdempotencyPolicy(TTL),
                new IdempotencyListener() {
                });
    }

    private static Traceparent trace(Headers headers) {
        return Traceparent.parse(MessageHeaders.lastString(headers, MessageHeaders.TRACEPARENT).orElseThrow())
                .orElseThrow();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String resultHeader(TestRecord<String, CommandResult> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
