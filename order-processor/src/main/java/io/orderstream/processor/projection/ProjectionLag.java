package io.orderstream.processor.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code orders.projection.lag}: per partition of the event log, how many committed events
 * the projector has not applied yet (the last stable offset minus its position), as of its last poll.
 */
@Component
class ProjectionLag {

    static final String METER = "orders.projection.lag";

    private final MeterRegistry registry;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    ProjectionLag(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Reads the lag of every assigned partition from the consumer; call on the consumer's thread. */
    void update(Consumer<?, ?> consumer) {
        for (TopicPartition partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(lag -> partitions.computeIfAbsent(partition, this::register)
                    .lag.set(lag));
        }
    }

    /** Partitions this instance no longer owns: their lag is someone else's to report. */
    void forget(Collection<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            Partition removed = partitions.remove(partition);
            if (removed != null) {
                registry.remove(removed.meter);
            }
        }
    }

    private Partition register(TopicPartition partition) {
        AtomicLong lag = new AtomicLong();
        Meter meter = Gauge.builder(METER, lag, AtomicLong::get)
                .description("events in the log not yet projected into PostgreSQL")
                .baseUnit("records")
                .tag("topic", partition.topic())
                .tag("partition", Integer.toString(partition.partition()))
                .register(registry);
        return new Partition(lag, meter);
    }

    private record Partition(AtomicLong lag, Meter meter) {
    }
}
