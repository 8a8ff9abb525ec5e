package io.orderstream.ops.commands;

import static io.orderstream.ops.OpsRun.withKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import io.orderstream.local.Evidence;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import io.orderstream.ops.Orders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** commands replay against the real broker, processor and PostgreSQL. */
class CommandReplayIT {

    private static TestStack stack;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
    }

    @Test
    void replayOfAnAppliedRange_collapsesEveryCommand_andCreatesNoEventAndNoChangeInPostgres() {
        String tenant = TestStack.newTenant();
        Instant from = Instant.now().minusMillis(1);
        String first = Orders.place(stack, tenant, "place-1");
        String second = Orders.place(stack, tenant, "place-2");
        Orders.changeStatus(stack, tenant, first, "pick-1", "PROCESSING");
        Orders.changeStatus(stack, tenant, first, "ship-1", "SHIPPED");
        Instant to = Instant.now().plusMillis(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)).hasSize(2));
        Map<String, List<EventEnvelope>> eventsBefore = evidence.events(tenant);
        Map<String, OrderState> rowsBefore = evidence.projectedOrders(tenant);
        Map<String, List<Long>> sequencesBefore = evidence.projectedSequences(tenant);

        OpsRun.Result dryRun = OpsRun.run(withKafka(stack, "commands", "replay", "--from", from.toString(), "--to",
                to.toString(), "--tenant", tenant, "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("4 commands from " + from + " to " + to + " of tenant " + tenant
                + " would be re-produced; nothing was sent").contains("key=place-1").contains("key=ship-1");

        OpsRun.Result replay = OpsRun.run(withKafka(stack, "commands", "replay", "--from", from.toString(), "--to",
                to.toString(), "--tenant", tenant));

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("replayed: 4")
                .contains("collapsed as duplicates (replayed=true): 4")
                .contains("caused new changes: 0")
                .contains("without a result within PT1M: 0");
        // every result is committed in the transaction that would have carried new events: none came
        assertThat(evidence.events(tenant)).isEqualTo(eventsBefore);
        assertThat(evidence.projectedOrders(tenant)).isEqualTo(rowsBefore);
        assertThat(evidence.projectedSequences(tenant)).isEqualTo(sequencesBefore)
                .isEqualTo(Map.of(first, List.of(1L, 2L, 3L), second, List.of(1L)));
    }

    @Test
    void replayedCopies_equalTheOriginalsInEveryFieldButTheirIds_andKeepEveryHeader() throws Exception {
        String tenant = TestStack.newTenant();
        Instant from = Instant.now().minusMillis(1);
        // as a newer producer would write it: the optional actor, and a member this build does not know
        List<byte[]> originals = List.of(
                commandJson(tenant, "o-actor", "k-1", new OrderCommand.PlaceOrder("c-1", "EUR",
                        List.of(new OrderLine("SKU-1", 2, 150))), "clerk@" + tenant),
                commandJson(tenant, "o-actor", "k-2", new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "picked"),
                        "picker@" + tenant));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (byte[] value : originals) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("x-storefront", "shop-7".getBytes(StandardCharsets.UTF_8));
                headers.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                        .getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null,
                        (tenant + "/o-actor").getBytes(StandardCharsets.UTF_8), value, headers)).get();
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.events(tenant).get("o-actor")).hasSize(2));
        Instant to = Instant.now().plusMillis(1);

        OpsRun.Result replay = OpsRun.run(withKafka(stack, "commands", "replay", "--from", from.toString(),
                "--to", to.toString(), "--tenant", tenant));

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("replayed: 2").contains("collapsed as duplicates (replayed=true): 2");
        List<ConsumerRecord<byte[], byte[]>> written = evidence.readTopic(Topics.COMMANDS.name()).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(tenant + "/o-actor")).toList();
        assertThat(written).hasSize(4);
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<byte[], byte[]> original = written.get(i);
            ConsumerRecord<byte[], byte[]> copy = written.get(i + 2);
            ObjectNode originalValue = (ObjectNode) Json.MAPPER.readTree(original.value());
            ObjectNode copyValue = (ObjectNode) Json.MAPPER.readTree(copy.value());
            assertThat(copyValue.get("requestId")).isNotEqualTo(originalValue.get("requestId"));
            assertThat(copyValue.get("commandId")).isNotEqualTo(originalValue.get("commandId"));
            assertThat(copyValue.get("actor").asString()).endsWith("@" + tenant);
            assertThat(copyValue.get("addedByANewerProducer").get("loyaltyTier").asString()).isEqualTo("gold");
            originalValue.remove(List.of("requestId", "commandId"));
            copyValue.remove(List.of("requestId", "commandId"));
            assertThat(copyValue).isEqualTo(originalValue);
            assertThat(copy.key()).isEqualTo(original.key());
            List<String> originalHeaders = headers(original);
            assertThat(headers(copy)).containsAll(originalHeaders)
                    .contains("x-replay-of=" + original.topic() + "-" + original.partition() + "@" + original.offset())
                    .hasSize(originalHeaders.size() + 1);
        }
    }

    private static byte[] commandJson(String tenant, String orderId, String key, OrderCommand command, String actor) {
        ObjectNode value = (ObjectNode) Json.MAPPER.valueToTree(new CommandEnvelope(SchemaVersions.COMMAND,
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), tenant, orderId, key, "f".repeat(64),
                Instant.now(), command, actor));
        value.putObject("addedByANewerProducer").put("loyaltyTier", "gold");
        return Json.MAPPER.writeValueAsBytes(value);
    }

    private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
        List<String> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    @Test
    void replay_refusesARangeThatEndsBeforeItStarts() {
        OpsRun.Result backwards = OpsRun.run(withKafka(stack, "commands", "replay", "--from", "2026-01-02T00:00:00Z",
                "--to", "2026-01-01T00:00:00+01:00"));
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.err()).contains("--from must be before --to");
    }
}
