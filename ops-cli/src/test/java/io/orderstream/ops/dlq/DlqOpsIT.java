package io.orderstream.ops.dlq;

import static io.orderstream.ops.OpsRun.withKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderLine;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import io.orderstream.local.Evidence;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dlq list and redrive against the real broker and processor. */
class DlqOpsIT {

    private static TestStack stack;
    private static Evidence evidence;

    @TempDir
    Path files;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
    }

    @Test
    void redriveOfAFixedRecord_appliesItOnce_andNeverSendsItTwice() throws Exception {
        String tenant = TestStack.newTenant();
        String orderId = "fixed-order";
        CommandEnvelope command = new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), tenant, orderId, "checkout-7", "f".repeat(64), Instant.now(),
                new OrderCommand.PlaceOrder("c-7", "EUR", List.of(new OrderLine("SKU-7", 1, 700))));
        String good = new String(Json.write(command), StandardCharsets.UTF_8);
        // what a producer with a newer schema would send: the processor cannot read it and parks it
        String poison = good.replace("\"schemaVersion\":1", "\"schemaVersion\":99");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), (tenant + "/" + orderId).getBytes(
                    StandardCharsets.UTF_8), poison.getBytes(StandardCharsets.UTF_8))).get();
        }
        OpsRun.Result list = await().atMost(Duration.ofSeconds(30)).until(
                () -> OpsRun.run(withKafka(stack, "dlq", "list", "--tenant", tenant)),
                result -> result.out().contains("1 records of tenant " + tenant + ": 1 pending, 0 redriven"));
        assertThat(list.out()).contains("key      " + tenant + "/" + orderId).contains("schemaVersion 99")
                .contains("source   orders.commands.v1-").contains("PENDING");
        Matcher id = Pattern.compile("(?m)^(\\d+@\\d+) ").matcher(list.out());
        assertThat(id.find()).as(list.out()).isTrue();
        String record = id.group(1);

        OpsRun.Result unfixed = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", record));
        assertThat(unfixed.exitCode()).as(unfixed.toString()).isEqualTo(1);
        assertThat(unfixed.out()).contains("still unreadable " + record);
        assertThat(unfixed.err()).contains("--value-file");

        Path fixed = Files.writeString(files.resolve("fixed.json"), good);
        OpsRun.Result redrive = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", record, "--value-file",
                fixed.toString()));
        assertThat(redrive.exitCode()).as(redrive.toString()).isZero();
        assertThat(redrive.out()).containsPattern(Pattern.quote(record) + "  -> orders\\.commands\\.v1-\\d+@\\d+  "
                + Pattern.quote(tenant + "/" + orderId) + "  APPLIED 201")
                .contains("1 records sent back");

        OpsRun.Result again = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", record, "--value-file",
                fixed.toString()));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains(record + "  already redriven: skipped").contains("nothing to send");
        OpsRun.Result all = OpsRun.run(withKafka(stack, "dlq", "redrive", "--tenant", tenant));
        assertThat(all.out()).contains("nothing to send");

        assertThat(evidence.events(tenant).get(orderId)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stack.api.getOrder(tenant, orderId).statusCode()).isEqualTo(200));
        assertThat(OpsRun.run(withKafka(stack, "dlq", "list", "--tenant", tenant)).out())
                .contains(record + "  ").contains("REDRIVEN").contains("1 records of tenant " + tenant
                        + ": 0 pending, 1 redriven");
    }
}
