package io.orderstream.processor.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code orders.projection.lag}: per partition of the event log this instance projects,
 * how many committed events are not in PostgreSQL yet — from the log's last stable offset and the
 * position stored with the rows (see {@link #behind}). Measured every few seconds from outside the consumer, so that it
 * keeps telling the truth while the projector is stuck (PostgreSQL down) or idle.
 */
@Component
class ProjectionLag implements SmartLifecycle {

    static final String METER = "orders.projection.lag";
    private static final Logger log = LoggerFactory.getLogger(ProjectionLag.class);

    private final MeterRegistry registry;
    private final KafkaAdmin kafkaAdmin;
    private final ProjectionRepository repository;
    private final ProjectionAlarms alarms;
    private final String group;
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private Admin admin;

    ProjectionLag(MeterRegistry registry, KafkaAdmin kafkaAdmin, ProjectionRepository repository,
            ProjectionAlarms alarms, ProjectorGroup group) {
        this.registry = registry;
        this.kafkaAdmin = kafkaAdmin;
        this.repository = repository;
        this.alarms = alarms;
        this.group = group.id();
    }

    /** Partitions this instance now projects. */
    void assigned(Collection<TopicPartition> assigned) {
        owned.addAll(assigned);
    }

    /** Partitions this instance no longer owns: their lag is someone else's to report. */
    void forget(Collection<TopicPartition> revoked) {
        owned.removeAll(revoked);
        for (TopicPartition partition : revoked) {
            Partition removed = partitions.remove(partition);
            if (removed != null) {
                registry.remove(removed.meter);
            }
            alarms.forget(partition);
        }
    }

    /** Events not yet projected, per partition this instance owns, as last measured. */
    Map<String, Long> byPartition() {
        Map<String, Long> lags = new TreeMap<>();
        partitions.forEach((partition, lag) -> lags.put(partition.toString(), lag.lag.get()));
        return lags;
    }

    /** Also counts the events set aside and tells whether PostgreSQL stands beyond the end of the log. */
    void measure() {
        List<TopicPartition> mine = List.copyOf(owned);
        try {
            alarms.setAside(repository.setAsideCount());
            if (mine.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            mine.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> positions = repository.positions(group, mine);
            for (TopicPartition partition : mine) {
                if (owned.contains(partition) && ends.containsKey(partition)) {
                    long end = ends.get(partition).offset();
                    long stored = positions.getOrDefault(partition, 0L);
                    alarms.position(partition, stored, end);
                    long lag = behind(end, stored);
                    partitions.computeIfAbsent(partition, this::register).lag.set(lag);
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Kafka or PostgreSQL unreachable: the last values stay, the alert on them stays meaningful
            log.debug("projection lag not measured: {}", e.toString());
        }
    }

    /**
     * Records between the stored position (after the last applied event) and the last stable
     * offset. A transaction's commit marker takes an offset after its last event, so a projector
     * that has caught up is one offset short of the end: that one is not counted. Further behind,
     * every transaction's marker counts, so the figure is an upper bound of the events to apply —
     * exact where it matters most, at zero.
     */
    static long behind(long lastStableOffset, long storedPosition) {
        return Math.max(0, lastStableOffset - storedPosition - 1);
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

    @Override
    public void start() {
        admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-lag");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::measure, 1, 5, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        admin.close();
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    private record Partition(AtomicLong lag, Meter meter) {
    }
}
