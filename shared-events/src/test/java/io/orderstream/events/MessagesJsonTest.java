package io.orderstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class MessagesJsonTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.123Z");

    @Test
    void commandEnvelope_roundTripsWithTypeTag() {
        CommandEnvelope command = new CommandEnvelope(1, "cmd-1", "req-1", "acme", "o-1", "key-1", "f00d", T0,
                new OrderCommand.PlaceOrder("cust", "EUR", List.of(new OrderLine("SKU", 1, 100))));

        byte[] bytes = Topics.COMMANDS.valueSerde().serializer().serialize("t", command);

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"type\":\"PlaceOrder\"").contains("\"occurredAt\":\"2026-11-26T10:00:00.123Z\"");
        assertThat(Topics.COMMANDS.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(command);
    }

    @Test
    void eventEnvelope_isReadableJsonWithItsType() {
        EventEnvelope event = new EventEnvelope(SchemaVersions.EVENT, "e-1", "acme", "o-1", 2, T0, "cmd-1", "req-1", "key-1",
                new OrderEvent.OrderStatusChanged(OrderStatus.PENDING, OrderStatus.PROCESSING, "picked"));

        String json = new String(Json.write(event), StandardCharsets.UTF_8);

        assertThat(json).contains("\"sequence\":2").contains("\"type\":\"OrderStatusChanged\"")
                .contains("\"from\":\"PENDING\"").contains("\"to\":\"PROCESSING\"");
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), EventEnvelope.class)).isEqualTo(event);
    }

    @Test
    void unknownSchemaVersion_isRefused() {
        String json = "{\"schemaVersion\":99,\"commandId\":\"c\",\"requestId\":\"r\",\"tenantId\":\"acme\","
                + "\"orderId\":\"o\",\"idempotencyKey\":\"k\",\"fingerprint\":\"f\",\"occurredAt\":\"2026-01-01T00:00:00Z\","
                + "\"command\":{\"type\":\"ChangeStatus\",\"status\":\"SHIPPED\"}}";

        assertThatThrownBy(() -> Topics.COMMANDS.valueSerde().deserializer()
                .deserialize("orders.commands.v1", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("schemaVersion 99");
    }

    @Test
    void missingFieldsAndWrongTypes_areRefused() {
        assertThatThrownBy(() -> Json.read("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8),
                CommandEnvelope.class)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> Json.read("{\"schemaVersion\":\"one\"}".getBytes(StandardCharsets.UTF_8),
                CommandEnvelope.class)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> Json.read("not json".getBytes(StandardCharsets.UTF_8), CommandEnvelope.class))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void result_carriesEitherOrderOrProblem() {
        assertThatThrownBy(() -> new CommandResult(1, "r", "c", "acme", "o", CommandResult.Outcome.APPLIED, 200,
                null, null, false, T0)).isInstanceOf(IllegalArgumentException.class);
        CommandResult rejected = new CommandResult(1, "r", "c", "acme", "o", CommandResult.Outcome.REJECTED, 409,
                null, ProblemType.INVALID_TRANSITION.problem("no"), false, T0);

        CommandResult replay = new CommandResult(1, "r2", "c2", "acme", "o", CommandResult.Outcome.REJECTED, 409,
                null, rejected.problem(), true, T0);

        CommandResult read = Json.read(Json.write(replay), CommandResult.class);
        assertThat(read).isEqualTo(replay);
        assertThat(read.replayed()).isTrue();
        assertThat(read.problem()).isEqualTo(rejected.problem());
    }

    @Test
    void orderKey_derivedIdsAreStablePerTenantAndKey() {
        assertThat(OrderKey.derive("acme", "k1")).isEqualTo(OrderKey.derive("acme", "k1"))
                .isNotEqualTo(OrderKey.derive("globex", "k1")).isNotEqualTo(OrderKey.derive("acme", "k2"));
        assertThat(OrderKey.parse("acme/o-1")).isEqualTo(new OrderKey("acme", "o-1"));
        assertThat(new OrderKey("acme", "o-1").toString()).isEqualTo("acme/o-1");
        assertThatThrownBy(() -> new OrderKey("ac/me", "o")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OrderKey("acme", "../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}
