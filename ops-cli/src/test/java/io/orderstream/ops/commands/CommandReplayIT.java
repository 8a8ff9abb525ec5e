package io.orderstream.ops.commands;

import static io.orderstream.ops.OpsRun.withKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderState;
import io.orderstream.local.Evidence;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import io.orderstream.ops.Orders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    void replay_refusesARangeThatEndsBeforeItStarts() {
        OpsRun.Result backwards = OpsRun.run(withKafka(stack, "commands", "replay", "--from", "2026-01-02T00:00:00Z",
                "--to", "2026-01-01T00:00:00+01:00"));
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.err()).contains("--from must be before --to");
    }
}
