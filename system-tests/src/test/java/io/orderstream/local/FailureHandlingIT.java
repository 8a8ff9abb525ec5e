package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderLine;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad records and redeliveries on the real broker: nothing lost, nothing applied twice. */
class FailureHandlingIT {

    private static TestStack stack;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
    }

    @Test
    void unreadableCommands_areParkedInTheDlqWithTheirError_andTheOrderStillProceeds() throws Exception {
        String tenant = TestStack.newTenant();
        String orderId = "poisoned-order";
        byte[] key = (tenant + "/" + orderId).getBytes(StandardCharsets.UTF_8);
        byte[] notJson = "{this is not json".getBytes(StandardCharsets.UTF_8);
        byte[] futureVersion = ("{\"schemaVersion\":99,\"tenantId\":\"" + tenant + "\"}").getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), key, notJson)).get();
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), key, futureVersion)).get();
        }

        // the same partition, after the poison: processing continued past it
        var placed = stack.api.placeOrder(tenant, "after-poison", "{\"orderId\":\"" + orderId + "\","
                + Api.placeBody("c-1").substring(1));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);

        List<ConsumerRecord<byte[], byte[]>> parked = evidence.readTopic(Topics.COMMANDS_DLQ.name()).stream()
                .filter(record -> new String(record.key(), StandardCharsets.UTF_8).startsWith(tenant + "/")).toList();
        assertThat(parked).hasSize(2);
        assertThat(parked.get(0).value()).isEqualTo(notJson);
        assertThat(parked.get(0).key()).isEqualTo(key);
        assertThat(header(parked.get(0), Topics.DlqHeaders.SOURCE_TOPIC)).isEqualTo(Topics.COMMANDS.name());
        assertThat(header(parked.get(0), Topics.DlqHeaders.SOURCE_PARTITION)).matches("\\d+");
        assertThat(header(parked.get(0), Topics.DlqHeaders.SOURCE_OFFSET)).matches("\\d+");
        assertThat(header(parked.get(0), Topics.DlqHeaders.ERROR_CLASS)).isNotBlank();
        assertThat(parked.get(1).value()).isEqualTo(futureVersion);
        assertThat(header(parked.get(1), Topics.DlqHeaders.ERROR_MESSAGE)).contains("schemaVersion 99");
    }

    @Test
    void foreignCommandsWithTextTheSystemCannotKeep_areParkedAndAnswered_andStopNoOtherOrder() throws Exception {
        String tenant = TestStack.newTenant();
        String other = TestStack.newTenant();
        String orderId = "foreign-1";
        byte[] key = (tenant + "/" + orderId).getBytes(StandardCharsets.UTF_8);
        // what another producer might write straight to the topic: a NUL, a lone surrogate, a member twice
        List<CommandEnvelope> foreign = List.of(
                foreign(tenant, orderId, new OrderCommand.PlaceOrder("secret\u0000cust", "EUR",
                        List.of(new OrderLine("SKU-1", 1, 100)))),
                foreign(tenant, orderId, new OrderCommand.PlaceOrder("cust-1", "EUR",
                        List.of(new OrderLine("secret\ud800sku", 1, 100)))));
        byte[] twice = new String(Json.write(foreign(tenant, orderId, new OrderCommand.PlaceOrder("cust-1", "EUR",
                List.of(new OrderLine("SKU-1", 1, 100))))), StandardCharsets.UTF_8)
                .replace("\"customerId\":\"cust-1\"", "\"customerId\":\"cust-1\",\"customerId\":\"secret-2\"")
                .getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (CommandEnvelope command : foreign) {
                producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), key, Json.write(command))).get();
            }
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), key, twice)).get();
        }

        // the same order, on the same partition, after them: none of them placed it
        var placed = stack.api.placeOrder(tenant, "after-foreign", "{\"orderId\":\"" + orderId + "\","
                + Api.placeBody("c-1").substring(1));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String otherOrder = CommandPathIT.orderId(stack.api.placeOrder(other, "k", Api.placeBody("c-2")));

        List<ConsumerRecord<byte[], byte[]>> parked = evidence.readTopic(Topics.COMMANDS_DLQ.name()).stream()
                .filter(record -> new String(record.key(), StandardCharsets.UTF_8).startsWith(tenant + "/")).toList();
        assertThat(parked).hasSize(3);
        assertThat(parked.get(0).value()).isEqualTo(Json.write(foreign.get(0)));
        assertThat(header(parked.get(0), Topics.DlqHeaders.ERROR_CLASS)).endsWith("UnkeepableTextException");
        assertThat(header(parked.get(0), Topics.DlqHeaders.ERROR_MESSAGE)).startsWith("customerId: ");
        assertThat(header(parked.get(1), Topics.DlqHeaders.ERROR_MESSAGE)).startsWith("lines[0].sku: ");
        assertThat(header(parked.get(2), Topics.DlqHeaders.ERROR_MESSAGE)).contains("Duplicate");
        for (ConsumerRecord<byte[], byte[]> record : parked) {
            for (Header header : record.headers()) {
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).as(header.key()).doesNotContain("secret");
            }
        }
        // a client waiting for a foreign command's result gets one
        List<CommandResult> answers = evidence.readTopic(Topics.COMMAND_RESULTS.name()).stream()
                .map(record -> Json.read(record.value(), CommandResult.class))
                .filter(result -> foreign.stream().anyMatch(command -> command.requestId().equals(result.requestId())))
                .toList();
        assertThat(answers).hasSize(2).allSatisfy(answer -> {
            assertThat(answer.outcome()).isEqualTo(CommandResult.Outcome.FAILED);
            assertThat(answer.status()).isEqualTo(500);
        });
        // and the projection goes on for both tenants
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(evidence.projectedOrders(tenant)).hasEntrySatisfying(orderId,
                    order -> assertThat(order.customerId()).isEqualTo("c-1"));
            assertThat(evidence.projectedOrders(other)).containsKey(otherOrder);
        });
        assertThat(evidence.events(tenant).get(orderId)).hasSize(1);
    }

    private static CommandEnvelope foreign(String tenant, String orderId, OrderCommand command) {
        return new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                tenant, orderId, "foreign-" + UUID.randomUUID(), "fp", Instant.now(), command);
    }

    @Test
    void redeliveredEvents_changeNothingInPostgres() throws Exception {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(stack.api.placeOrder(tenant, "k1", Api.placeBody("c-1")));
        assertThat(stack.api.changeStatus(tenant, orderId, "k2", Api.statusBody("PROCESSING")).statusCode())
                .isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> log = evidence.readTopic(Topics.EVENTS.name()).stream()
                .filter(record -> new String(record.key(), StandardCharsets.UTF_8).equals(tenant + "/" + orderId))
                .toList();
        assertThat(log).hasSize(2);

        // an operator's replay: the same events, again, twice
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int round = 0; round < 2; round++) {
                for (ConsumerRecord<byte[], byte[]> event : log) {
                    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.key(), event.value())).get();
                }
            }
        }
        // a new event on the same partition, projected only after the replayed ones
        assertThat(stack.api.changeStatus(tenant, orderId, "k3", Api.statusBody("SHIPPED")).statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant).get(orderId).version()).isEqualTo(3));
        assertThat(evidence.projectedSequences(tenant)).isEqualTo(Map.of(orderId, List.of(1L, 2L, 3L)));
        // the fold of the distinct events (the log now holds the replayed copies too)
        List<EventEnvelope> distinct = List.copyOf(evidence.events(tenant).get(orderId).stream()
                .collect(Collectors.toMap(EventEnvelope::sequence, e -> e, (a, b) -> a, TreeMap::new)).values());
        assertThat(distinct).hasSize(3);
        assertThat(evidence.projectedOrders(tenant).get(orderId)).isEqualTo(OrderDecider.fold(distinct));
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
