package io.orderstream.events.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden messages: one file per message kind and schema version, as once written to the topics.
 * They must keep validating against the schema of their version and keep deserialising through
 * the normal read path, forever: a file here is never edited, only added.
 */
class GoldenMessagesTest {

    private static final Path GOLDEN = golden();

    static Stream<Path> goldenFiles() throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void thereIsAGoldenFileOfEveryVersionOfEverySchema() throws IOException {
        List<String> names = goldenFiles().map(file -> GOLDEN.relativize(file).toString()).toList();
        for (MessageSchema schema : MessageSchema.values()) {
            for (int version = schema.oldestVersion(); version <= schema.currentVersion(); version++) {
                String prefix = schema.resource(version).replace("schemas/", "").replace(".json", "-");
                assertThat(names).as("golden files of " + prefix).anyMatch(name -> name.startsWith(prefix));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void goldenFile_matchesItsSchema_andIsReadByTheNormalReadPath(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String topic = GOLDEN.relativize(file).getName(0).toString();
        MessageSchema schema = MessageSchema.forTopic(topic).orElseThrow();
        int version = Json.MAPPER.readTree(bytes).get("schemaVersion").asInt();

        MessageValidator.assertValid(schema, version, bytes);
        Object read = Topics.ALL.stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow()
                .valueSerde().deserializer().deserialize(topic, bytes);
        // what the read path returns is the newest shape: written again, it is a valid current message
        MessageValidator.assertValid(schema, schema.currentVersion(), Json.write(read));
    }

    @Test
    void v1AndV2StatusChanges_readThroughTheSamePath_intoTheNewestShape() throws IOException {
        EventEnvelope v1 = readEvent("event-v1-status-changed.json");
        EventEnvelope v2 = readEvent("event-v2-status-changed.json");

        assertThat(v1.schemaVersion()).isEqualTo(SchemaVersions.EVENT);
        assertThat(v1.event()).isEqualTo(new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.PROCESSING, "picked", null));
        assertThat(v2.event()).isEqualTo(new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.CANCELED, null, "dev-user@globex"));
    }

    @Test
    void aV1HistoryFollowedByV2Events_foldsIntoOneOrder() throws IOException {
        EventEnvelope placed = readEvent("event-v1-order-placed.json");
        EventEnvelope changed = readEvent("event-v1-status-changed.json");
        EventEnvelope shipped = Json.read(Json.write(new EventEnvelope(SchemaVersions.EVENT, "3c9a1d2e-0000-3000-8000-"
                + "000000000003", "acme", "order-1", 3, changed.occurredAt().plusSeconds(60), "cmd-3", "req-3", "ship-42",
                new OrderEvent.OrderStatusChanged(OrderStatus.PROCESSING, OrderStatus.SHIPPED, null, "ops@acme"))),
                EventEnvelope.class);

        OrderState order = OrderDecider.fold(List.of(placed, changed, shipped));

        assertThat(order.status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(order.version()).isEqualTo(3);
        assertThat(order.totalMinor()).isEqualTo(3998);
    }

    @Test
    void anEventOfAVersionNewerThanThisBuild_isRefused_notGuessed() throws IOException {
        String v2 = Files.readString(GOLDEN.resolve("orders.events.v1/event-v2-status-changed.json"));
        byte[] v3 = v2.replace("\"schemaVersion\":2", "\"schemaVersion\":3").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.EVENTS.valueSerde().deserializer().deserialize(Topics.EVENTS.name(), v3))
                .isInstanceOf(SerializationException.class).hasMessageContaining("schemaVersion 3");
    }

    @Test
    void aCommandWithoutTheOptionalActor_isStillRead() throws IOException {
        CommandEnvelope command = Topics.COMMANDS.valueSerde().deserializer().deserialize(Topics.COMMANDS.name(),
                Files.readAllBytes(GOLDEN.resolve("orders.commands.v1/command-v1-place-order.json")));

        assertThat(command.actor()).isNull();
        assertThat(command.idempotencyKey()).isEqualTo("checkout-42");
    }

    private static EventEnvelope readEvent(String name) throws IOException {
        return Topics.EVENTS.valueSerde().deserializer().deserialize(Topics.EVENTS.name(),
                Files.readAllBytes(GOLDEN.resolve("orders.events.v1").resolve(name)));
    }

    private static Path golden() {
        try {
            return Path.of(Objects.requireNonNull(GoldenMessagesTest.class.getClassLoader().getResource("golden"))
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
