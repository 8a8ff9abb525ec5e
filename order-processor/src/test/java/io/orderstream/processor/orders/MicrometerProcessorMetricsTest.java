package io.orderstream.processor.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderstream.events.CommandResult;
import io.orderstream.idempotency.Lookup;
import java.util.List;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class MicrometerProcessorMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void lookups_areCountedByOutcome_soTheHitRateCanBeRead() {
        MicrometerProcessorMetrics metrics = new MicrometerProcessorMetrics(registry, List.of(), 10);

        metrics.lookedUp("acme/o-1", new Lookup.New(false), 1_000);
        metrics.lookedUp("acme/o-1", new Lookup.Replay(null), 2_000);
        metrics.lookedUp("acme/o-1", new Lookup.Replay(null), 3_000);
        metrics.lookedUp("acme/o-2", new Lookup.Mismatch(null), 4_000);
        metrics.lookedUp("acme/o-3", new Lookup.New(true), 5_000);

        assertThat(count("new", "acme")).isEqualTo(1);
        assertThat(count("replay", "acme")).isEqualTo(2);
        assertThat(count("mismatch", "acme")).isEqualTo(1);
        assertThat(count("expired", "acme")).isEqualTo(1);
        assertThat(registry.get("orders.idempotency.lookup.latency").timer().count()).isEqualTo(5);
    }

    @Test
    void tenantTags_stayBounded() {
        MicrometerProcessorMetrics metrics = new MicrometerProcessorMetrics(registry, List.of(), 2);

        for (int tenant = 0; tenant < 100; tenant++) {
            metrics.lookedUp("t" + tenant + "/o", new Lookup.New(false), 1);
        }
        metrics.lookedUp("t1/o", new Lookup.New(false), 1);

        assertThat(registry.find("orders.idempotency.lookups").counters())
                .extracting(counter -> counter.getId().getTag("tenant")).containsExactlyInAnyOrder("t0", "t1", "other");
        assertThat(count("new", "t1")).isEqualTo(2);
        assertThat(count("new", "other")).isEqualTo(98);
    }

    @Test
    void configuredTenants_areTheOnlyTags() {
        MicrometerProcessorMetrics metrics = new MicrometerProcessorMetrics(registry, List.of("acme"), 50);

        assertThat(metrics.tenantTag("acme")).isEqualTo("acme");
        assertThat(metrics.tenantTag("globex")).isEqualTo("other");
    }

    @Test
    void storeSizes_ofOpenTasks_addUp() {
        MicrometerProcessorMetrics metrics = new MicrometerProcessorMetrics(registry, List.of(), 10);

        metrics.storeSize(new TaskId(0, 0), 10);
        metrics.storeSize(new TaskId(0, 1), 5);
        metrics.storeSize(new TaskId(0, 1), 7);
        metrics.storeSize(new TaskId(0, 0), -1);
        metrics.answered("acme", CommandResult.Outcome.APPLIED, false);
        metrics.parked("JsonParseException");

        assertThat(registry.get("orders.idempotency.entries").gauge().value()).isEqualTo(7);
        assertThat(registry.get("orders.commands.answered").tag("outcome", "applied").counter().count()).isEqualTo(1);
        assertThat(registry.get("orders.commands.parked").tag("error", "JsonParseException").counter().count())
                .isEqualTo(1);
    }

    private double count(String outcome, String tenant) {
        return registry.get("orders.idempotency.lookups").tag("outcome", outcome).tag("tenant", tenant).counter()
                .count();
    }
}
