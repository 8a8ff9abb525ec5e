package io.orderstream.events.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The messages this build writes are valid against the JSON Schemas it publishes, and only those. */
class MessageSchemasTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final List<OrderLine> LINES = List.of(new OrderLine("BOOK-1", 2, 1999));
    private static final OrderState ORDER = new OrderState("o-1", OrderStatus.PROCESSING, 2, "c-1", "EUR", 3998, LINES,
            T0, T0.plusSeconds(5));

    @ParameterizedTest
    @EnumSource(MessageSchema.class)
    void everyVersionOfEverySchema_isAResourceThatParses(MessageSchema schema) {
        IntStream.rangeClosed(schema.oldestVersion(), schema.currentVersion()).forEach(version ->
                assertThat(MessageValidator.schema(schema, version)).as(schema.resource(version)).isNotNull());
    }

    @ParameterizedTest
    @EnumSource(MessageSchema.class)
    void everyVersionOfEverySchema_isAValidJsonSchema202012(MessageSchema schema) {
        IntStream.rangeClosed(schema.oldestVersion(), schema.currentVersion()).forEach(version ->
                assertThat(MessageValidator.schemaViolations(schema, version)).as(schema.resource(version)).isEmpty());
    }

    static Stream<Object> commands() {
        return Stream.of(
                command(new OrderCommand.PlaceOrder("c-1", "EUR", LINES), null),
                command(new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, "dhl"), "user@acme"),
                command(new OrderCommand.ChangeStatus(OrderStatus.CANCELED, null), null));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void commandsBuiltInCode_matchTheCommandSchema(CommandEnvelope command) {
        MessageValidator.assertValid(MessageSchema.COMMAND, SchemaVersions.COMMAND, Json.write(command));
    }

    static Stream<Object> events() {
        return Stream.of(
                event(1, new OrderEvent.OrderPlaced("c-1", "EUR", LINES, 3998)),
                event(2, new OrderEvent.OrderStatusChanged(OrderStatus.PENDING, OrderStatus.PROCESSING, "picked",
                        "user@acme")),
                event(3, new OrderEvent.OrderStatusChanged(OrderStatus.PROCESSING, OrderStatus.CANCELED, null, null)));
    }

    @ParameterizedTest
    @MethodSource("events")
    void eventsBuiltInCode_matchTheNewestEventSchema(EventEnvelope event) {
        MessageValidator.assertValid(MessageSchema.EVENT, SchemaVersions.EVENT, Json.write(event));
    }

    static Stream<Object> results() {
        CommandResult applied = new CommandResult(1, "r-1", "c-1", "acme", "o-1", CommandResult.Outcome.APPLIED, 200,
                ORDER, null, false, T0);
        CommandResult rejected = new CommandResult(1, "r-2", "c-2", "acme", "o-1", CommandResult.Outcome.REJECTED,
                409, null, ProblemType.INVALID_TRANSITION.problem("no"), false, T0);
        return Stream.of(applied, rejected, new CommandResult(1, "r-3", "c-3", "acme", "o-1",
                        CommandResult.Outcome.REJECTED, 409, null, rejected.problem(), true, T0),
                new CommandResult(1, "r-4", "c-4", "acme", "o-1", CommandResult.Outcome.FAILED, 500, null,
                        ProblemType.PROCESSING_FAILED.problem(null), false, T0));
    }

    @ParameterizedTest
    @MethodSource("results")
    void resultsBuiltInCode_matchTheResultSchema(CommandResult result) {
        MessageValidator.assertValid(MessageSchema.RESULT, SchemaVersions.RESULT, Json.write(result));
    }

    @Test
    void theSchemasRefuseWhatTheContractForbids() {
        byte[] changed = Json.write(event(2, new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.SHIPPED, null, "user@acme")));
        String json = new String(changed, StandardCharsets.UTF_8);

        // version 1 has no actor; version 2 requires one (null when unknown)
        assertThat(MessageValidator.violations(MessageSchema.EVENT, 1, changed)).isNotEmpty();
        assertThat(MessageValidator.violations(MessageSchema.EVENT, 2, utf8(json.replace(",\"actor\":\"user@acme\"",
                "")))).isNotEmpty();
        assertThat(MessageValidator.violations(MessageSchema.EVENT, 2, utf8(json.replace("\"sequence\":2",
                "\"sequence\":0")))).isNotEmpty();
        assertThat(MessageValidator.violations(MessageSchema.EVENT, 2, utf8(json.replace("SHIPPED", "LOST"))))
                .isNotEmpty();
        // a result carries an order or a problem, not both and not neither
        String result = new String(Json.write(results().findFirst().orElseThrow()), StandardCharsets.UTF_8);
        String neither = result.replaceFirst("\"order\":\\{.*\"problem\":null", "\"order\":null,\"problem\":null");
        assertThat(neither).contains("\"order\":null,\"problem\":null");
        assertThat(MessageValidator.violations(MessageSchema.RESULT, 1, utf8(neither))).isNotEmpty();
        assertThat(MessageValidator.violations(MessageSchema.RESULT, 1, utf8(result.replace("\"problem\":null",
                "\"problem\":" + new String(Json.write(ProblemType.INTERNAL.problem("x")), StandardCharsets.UTF_8)))))
                .isNotEmpty();
        assertThat(MessageValidator.violations(MessageSchema.COMMAND, 1, utf8("{\"schemaVersion\":1}"))).isNotEmpty();
        assertThat(MessageValidator.violations(MessageSchema.COMMAND, 1, utf8("not json"))).isNotEmpty();
    }

    private static CommandEnvelope command(OrderCommand command, String actor) {
        return new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "acme", "o-1", "key-1", "9f86d081884c7d65", T0, command, actor);
    }

    private static EventEnvelope event(long sequence, OrderEvent event) {
        return new EventEnvelope(SchemaVersions.EVENT, UUID.nameUUIDFromBytes(utf8("acme/o-1#" + sequence)).toString(),
                "acme", "o-1", sequence, T0, "cmd-" + sequence, "req-" + sequence, "key-" + sequence, event);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
