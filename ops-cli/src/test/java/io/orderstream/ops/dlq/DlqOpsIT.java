package io.orderstream.ops.dlq;

import static io.orderstream.ops.OpsRun.withKafka;
import static io.orderstream.ops.OpsRun.withKafkaAndDb;
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
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
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
        String good = commandJson(tenant, orderId, Instant.now());
        String record = park(tenant, orderId, good);
        OpsRun.Result list = OpsRun.run(withKafka(stack, "dlq", "list", "--tenant", tenant));
        assertThat(list.out()).contains("1 records of tenant " + tenant + ": 1 pending, 0 redriven")
                .contains(record + "  ").contains("key      " + tenant + "/" + orderId).contains("schemaVersion 99")
                .contains("source   orders.commands.v1-").contains("PENDING");

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

    @Test
    void theRedriveLedger_survivesTheDeletionOfTheConsumerGroupOffsets_andRedriveAllSendsNothingAgain() throws Exception {
        String tenant = TestStack.newTenant();
        String ledgerGroup = "it-ledger-" + UUID.randomUUID();
        String good = commandJson(tenant, "kept-order", Instant.now());
        String record = park(tenant, "kept-order", good);
        Path fixed = Files.writeString(files.resolve("fixed.json"), good);
        OpsRun.Result redrive = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", record, "--value-file",
                fixed.toString(), "--ledger-group", ledgerGroup));
        assertThat(redrive.exitCode()).as(redrive.toString()).isZero();
        assertThat(redrive.out()).contains("APPLIED 201");

        // what the broker does to a group without members after offsets.retention.minutes
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers))) {
            try {
                admin.deleteConsumerGroups(List.of(ledgerGroup)).all().get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(GroupIdNotFoundException.class);
            }
        }

        OpsRun.Result again = OpsRun.run(withKafka(stack, "dlq", "redrive", "--all", "--tenant", tenant,
                "--ledger-group", ledgerGroup));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains(record + "  already redriven: skipped").contains("nothing to send");
        assertThat(evidence.events(tenant).get("kept-order")).hasSize(1);
        assertThat(OpsRun.run(withKafka(stack, "dlq", "list", "--tenant", tenant, "--ledger-group", ledgerGroup))
                .out()).contains("1 records of tenant " + tenant + ": 0 pending, 1 redriven");
        assertThat(redrive.out()).contains("recorded in the ledger " + Topics.DLQ_REDRIVEN.name());
    }

    @Test
    void aLedgerOfEarlierVersions_inGroupOffsets_isHonoured_andCarriedOverBeforeItExpires() throws Exception {
        String tenant = TestStack.newTenant();
        String ledgerGroup = "it-legacy-" + UUID.randomUUID();
        String record = park(tenant, "legacy-order", commandJson(tenant, "legacy-order", Instant.now()));
        int partition = Integer.parseInt(record.substring(0, record.indexOf('@')));
        long offset = Long.parseLong(record.substring(record.indexOf('@') + 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers))) {
            // as an earlier orders-ops recorded a redrive of this one record
            admin.alterConsumerGroupOffsets(ledgerGroup, Map.of(new TopicPartition(Topics.COMMANDS_DLQ.name(),
                    partition), new OffsetAndMetadata(0, "redriven:" + offset))).all().get();

            OpsRun.Result first = OpsRun.run(withKafka(stack, "dlq", "redrive", "--all", "--tenant", tenant,
                    "--ledger-group", ledgerGroup));
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.out()).contains(record + "  already redriven: skipped")
                    .contains("carried 1 records of the earlier ledger (group " + ledgerGroup + ") over into "
                            + Topics.DLQ_REDRIVEN.name());

            admin.deleteConsumerGroups(List.of(ledgerGroup)).all().get();
        }
        OpsRun.Result afterExpiry = OpsRun.run(withKafka(stack, "dlq", "redrive", "--all", "--tenant", tenant,
                "--ledger-group", ledgerGroup));
        assertThat(afterExpiry.out()).contains(record + "  already redriven: skipped").contains("nothing to send");
        assertThat(evidence.events(tenant)).doesNotContainKey("legacy-order");
    }

    @Test
    void redriveOfACommandOlderThanTheProcessorsTtl_isRefusedUnlessForced_andForcedIsAnsweredExpired()
            throws Exception {
        String tenant = TestStack.newTenant();
        String ledgerGroup = "it-expired-" + UUID.randomUUID();
        // parked more than a day ago (the stack's processor runs with the default TTL, 24 h)
        String old = commandJson(tenant, "old-order", Instant.now().minus(Duration.ofHours(25)));
        String record = park(tenant, "old-order", old);
        Path fixed = Files.writeString(files.resolve("old.json"), old);

        OpsRun.Result refused = OpsRun.run(withKafkaAndDb(stack, "dlq", "redrive", "--record", record,
                "--value-file", fixed.toString(), "--ledger-group", ledgerGroup));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("redrive: idempotency TTL PT24H (recorded by processor order-processor "
                        + "in processor_settings at ")
                .contains("refused: 1 chosen command(s) occurred more than the idempotency TTL PT24H")
                .contains("--force");
        assertThat(refused.out()).contains(record + "  occurred at ");
        assertThat(OpsRun.run(withKafka(stack, "dlq", "list", "--tenant", tenant, "--ledger-group", ledgerGroup))
                .out()).contains("1 pending, 0 redriven");

        OpsRun.Result forced = OpsRun.run(withKafkaAndDb(stack, "dlq", "redrive", "--record", record,
                "--value-file", fixed.toString(), "--ledger-group", ledgerGroup, "--force"));
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.err()).contains("WARNING (--force)");
        assertThat(forced.out()).contains("EXPIRED 503").contains("nothing changed");
        assertThat(evidence.events(tenant)).doesNotContainKey("old-order");
        assertThat(stack.api.getOrder(tenant, "old-order").statusCode()).isEqualTo(404);
    }

    @Test
    void parkedCommandsTheProcessorWouldParkAgain_areNotRedriven_untilFixed() throws Exception {
        String tenant = TestStack.newTenant();
        String good = commandJson(tenant, "text-order", Instant.now());
        // text the system cannot keep, and a member named twice: the processor parks both, and so
        // would it a redriven copy
        String nul = parkValue(tenant, "text-order", good.replace("\"c-7\"", "\"c-\\u0000-7\""));
        OpsRun.Result refused = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", nul));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).contains("still unreadable " + nul + ": customerId: contains a control character");
        assertThat(refused.err()).contains("--value-file");

        String other = TestStack.newTenant();
        String twice = parkValue(other, "text-order", commandJson(other, "text-order", Instant.now())
                .replace("\"currency\":\"EUR\"", "\"currency\":\"EUR\",\"currency\":\"USD\""));
        OpsRun.Result refusedToo = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", twice));
        assertThat(refusedToo.exitCode()).as(refusedToo.toString()).isEqualTo(1);
        assertThat(refusedToo.out()).contains("still unreadable " + twice).contains("Duplicate");
        assertThat(evidence.events(tenant)).doesNotContainKey("text-order");
        assertThat(evidence.events(other)).doesNotContainKey("text-order");

        Path fixed = Files.writeString(files.resolve("fixed-text.json"), good);
        OpsRun.Result redrive = OpsRun.run(withKafka(stack, "dlq", "redrive", "--record", nul, "--value-file",
                fixed.toString()));
        assertThat(redrive.exitCode()).as(redrive.toString()).isZero();
        assertThat(redrive.out()).contains("APPLIED 201");
        assertThat(evidence.events(tenant).get("text-order")).hasSize(1);
    }

    private static String commandJson(String tenant, String orderId, Instant occurredAt) {
        return new String(Json.write(new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), tenant, orderId, "checkout-7", "f".repeat(64), occurredAt,
                new OrderCommand.PlaceOrder("c-7", "EUR", List.of(new OrderLine("SKU-7", 1, 700))))),
                StandardCharsets.UTF_8);
    }

    /** Sends a version of {@code good} the processor cannot read; returns the id of the parked record. */
    private static String park(String tenant, String orderId, String good) throws Exception {
        // what a producer with a newer schema would send: the processor cannot read it and parks it
        return parkValue(tenant, orderId, good.replace("\"schemaVersion\":1", "\"schemaVersion\":99"));
    }

    /** Sends {@code poison}, which the processor parks; returns the id of the parked record. */
    private static String parkValue(String tenant, String orderId, String poison) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), (tenant + "/" + orderId).getBytes(
                    StandardCharsets.UTF_8), poison.getBytes(StandardCharsets.UTF_8))).get();
        }
        OpsRun.Result list = await().atMost(Duration.ofSeconds(30)).until(
                () -> OpsRun.run(withKafka(stack, "dlq", "list", "--tenant", tenant)),
                result -> result.out().contains("1 records of tenant " + tenant));
        Matcher id = Pattern.compile("(?m)^(\\d+@\\d+) ").matcher(list.out());
        assertThat(id.find()).as(list.out()).isTrue();
        return id.group(1);
    }
}
