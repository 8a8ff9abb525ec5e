package io.orderstream.processor.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What is wrong with the projection beyond lag, for the metrics and {@code /actuator/health}:
 * events set aside ({@code orders.projection.set.aside}, counted in PostgreSQL every few seconds),
 * partitions where PostgreSQL stands beyond the end of the log ({@code orders.projection.ahead}), and
 * redelivered events that found another event at their sequence
 * ({@code orders.projection.different.events}). Each is logged with its coordinates only.
 */
@Component
class ProjectionAlarms {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAlarms.class);
    private static final int REMEMBERED = 10;

    private final AtomicLong setAside = new AtomicLong();
    private final Map<TopicPartition, String> ahead = new ConcurrentHashMap<>();
    private final Counter different;
    private final Deque<String> lastDifferent = new ArrayDeque<>();

    ProjectionAlarms(MeterRegistry registry) {
        Gauge.builder("orders.projection.set.aside", setAside, AtomicLong::get)
                .description("events the projector could not write, set aside with the later events of their orders")
                .baseUnit("events").register(registry);
        Gauge.builder("orders.projection.ahead", ahead, Map::size)
                .description("partitions where PostgreSQL's stored position is beyond the end of the event log")
                .baseUnit("partitions").register(registry);
        this.different = Counter.builder("orders.projection.different.events")
                .description("redelivered events that found another event at their (tenant, order, sequence)")
                .register(registry);
    }

    void setAside(long count) {
        setAside.set(count);
    }

    long setAside() {
        return setAside.get();
    }

    /** PostgreSQL's position of a partition compared with the log's end, as last measured. */
    void position(TopicPartition partition, long stored, long logEnd) {
        if (stored > logEnd) {
            String detail = "stored position " + stored + ", end of the log " + logEnd;
            if (!detail.equals(ahead.put(partition, detail))) {
                log.error("PostgreSQL is ahead of the event log at {}: {} (restored from another backup, or the log "
                        + "was recreated?); see `orders-ops projection verify` and docs/operations.md", partition, detail);
            }
        } else {
            ahead.remove(partition);
        }
    }

    void forget(TopicPartition partition) {
        ahead.remove(partition);
    }

    Map<String, String> ahead() {
        Map<String, String> sorted = new TreeMap<>();
        ahead.forEach((partition, detail) -> sorted.put(partition.toString(), detail));
        return sorted;
    }

    /** @param where coordinates: position in the log, tenant/order#sequence */
    void differentEvent(String where) {
        different.increment();
        synchronized (lastDifferent) {
            if (lastDifferent.size() == REMEMBERED) {
                lastDifferent.removeFirst();
            }
            lastDifferent.addLast(where);
        }
        log.error("PostgreSQL holds another event than the log at {}: the projection is not the fold of this log; "
                + "see `orders-ops projection verify` and docs/operations.md", where);
    }

    long differentEvents() {
        return (long) different.count();
    }

    List<String> lastDifferent() {
        synchronized (lastDifferent) {
            return List.copyOf(lastDifferent);
        }
    }
}
