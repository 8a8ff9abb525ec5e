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
 * ({@code orders.projection.different.events}), and records of the log that are no event this
 * projector can read ({@code orders.projection.unreadable.events}: they name no order to set aside,
 * so the projection goes past them, counted and shown, never silently). Each is logged with its
 * coordinates only.
 */
@Component
class ProjectionAlarms {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAlarms.class);
    private static final int REMEMBERED = 10;

    private final AtomicLong setAside = new AtomicLong();
    private final Map<TopicPartition, String> ahead = new ConcurrentHashMap<>();
    private final Counter different;
    private final Deque<String> lastDifferent = new ArrayDeque<>();
    private final Counter unreadable;
    private final Deque<String> lastUnreadable = new ArrayDeque<>();

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
        this.unreadable = Counter.builder("orders.projection.unreadable.events")
                .description("records of the event log that are no event the projector can read, gone past")
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
        remember(lastDifferent, where);
        log.error("PostgreSQL holds another event than the log at {}: the projection is not the fold of this log; "
                + "see `orders-ops projection verify` and docs/operations.md", where);
    }

    long differentEvents() {
        return (long) different.count();
    }

    List<String> lastDifferent() {
        return recalled(lastDifferent);
    }

    /**
     * A record of the log that is no event this projector can read (a newer schema, or bytes no
     * producer of ours wrote): it names no order, so nothing can wait behind it.
     *
     * @param where its position in the log
     */
    void unreadableEvent(String where, RuntimeException error) {
        unreadable.increment();
        remember(lastUnreadable, where);
        // the error's message may quote the record: its class only
        log.error("unreadable record at {} ({}) gone past by the projector: it stays in the event log; see "
                + "docs/operations.md", where, error.getClass().getSimpleName());
    }

    long unreadableEvents() {
        return (long) unreadable.count();
    }

    List<String> lastUnreadable() {
        return recalled(lastUnreadable);
    }

    private static void remember(Deque<String> last, String where) {
        synchronized (last) {
            if (last.size() == REMEMBERED) {
                last.removeFirst();
            }
            last.addLast(where);
        }
    }

    private static List<String> recalled(Deque<String> last) {
        synchronized (last) {
            return List.copyOf(last);
        }
    }
}
