package io.orderstream.ops.streams;

import static io.orderstream.ops.OpsRun.withKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.Topics;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import io.orderstream.ops.Orders;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** streams reset against the real broker, next to a running processor. */
class StreamsResetIT {

    private static TestStack stack;
    private static Admin admin;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers));
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @Test
    void reset_isRefusedWhileTheProcessorRuns() {
        OpsRun.Result refused = OpsRun.run(withKafka(stack, "streams", "reset", "--to-earliest"));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("the group order-processor has").contains("active member(s)")
                .contains("stop every processor instance first");
    }

    @Test
    void reset_movesTheCommittedOffsetsOfAStoppedApplication_andOnlyThose() throws Exception {
        Orders.place(stack, TestStack.newTenant(), "k1"); // at least one command in the topic
        String application = "it-stopped-" + UUID.randomUUID();
        Map<TopicPartition, Long> end = offsets(OffsetSpec.latest());
        Map<TopicPartition, OffsetAndMetadata> atEnd = new HashMap<>();
        end.forEach((partition, offset) -> atEnd.put(partition, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(application, atEnd).all().get();

        OpsRun.Result dryRun = OpsRun.run(withKafka(stack, "streams", "reset", "--application-id", application,
                "--to-earliest", "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("dry run, nothing changed");
        assertThat(committed(application)).isEqualTo(end);

        OpsRun.Result reset = OpsRun.run(withKafka(stack, "streams", "reset", "--application-id", application,
                "--to-earliest"));
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        assertThat(reset.out()).contains("re-processes up to " + (total - offsets(OffsetSpec.earliest()).values()
                .stream().mapToLong(Long::longValue).sum()) + " commands").contains("internal topics kept");
        assertThat(committed(application)).isEqualTo(offsets(OffsetSpec.earliest()));
    }

    @Test
    void deletingTheStoresChangelogs_isRefusedUnlessForced_withTheConsequenceAndTheAlternative() throws Exception {
        String application = "it-app-" + UUID.randomUUID();
        List<String> changelogs = List.of(application + "-idempotency-records-changelog",
                application + "-order-state-changelog");
        admin.createTopics(changelogs.stream().map(name -> new NewTopic(name, 1, (short) 1)).toList()).all().get();

        OpsRun.Result refused = OpsRun.run(withKafka(stack, "streams", "reset", "--application-id", application,
                "--to-latest", "--delete-internal-topics"));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("forgets every idempotency key and order state")
                .contains("applied AGAIN").contains("The alternative: reset only the offsets")
                .contains(changelogs.get(0)).contains(changelogs.get(1));
        assertThat(admin.listTopics().names().get()).containsAll(changelogs);
        assertThat(committed(application)).isEmpty();

        OpsRun.Result forced = OpsRun.run(withKafka(stack, "streams", "reset", "--application-id", application,
                "--to-latest", "--delete-internal-topics", "--force"));
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.err()).contains("WARNING (--force)").contains("forgets every idempotency key");
        assertThat(forced.out()).contains("deleted internal topics");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.listTopics().names().get()).doesNotContainAnyElementsOf(changelogs));
        assertThat(committed(application)).isEqualTo(offsets(OffsetSpec.latest()));
    }

    private static Map<TopicPartition, Long> offsets(OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        admin.describeTopics(List.of(Topics.COMMANDS.name())).allTopicNames().get().get(Topics.COMMANDS.name())
                .partitions().forEach(p -> query.put(new TopicPartition(Topics.COMMANDS.name(), p.partition()), spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(query).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }
}
