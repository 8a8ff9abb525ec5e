package io.orderstream.ops.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.OpsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every order's state as the fold of its events ({@link OrderDecider#evolve}), built record by record
 * from the event log exactly as the projector treats it: an event whose sequence the order already
 * has is a redelivered or replayed copy and changes nothing; an unreadable record is skipped and
 * counted (the projector skips it too, loudly).
 */
final class OrderFold {

    /** The first few unreadable records, for the report. */
    private static final int REMEMBERED_UNREADABLE = 5;

    private final Map<OrderKey, OrderState> orders = new HashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private long applied;
    private long duplicates;
    private long unreadableCount;

    /** A record of the event log, read: its event, or why it could not be read. */
    record Parsed(ConsumerRecord<byte[], byte[]> record, EventEnvelope event, String error) {

        /** Thread-safe: records can be read in parallel and folded in order afterwards. */
        static Parsed of(ConsumerRecord<byte[], byte[]> record) {
            try {
                return new Parsed(record, Json.read(record.value(), EventEnvelope.class), null);
            } catch (RuntimeException e) {
                return new Parsed(record, null, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
    }

    /**
     * Folds one record of {@code orders.events.v1}.
     *
     * @return the event when it is new, {@code null} for a duplicate or an unreadable record
     * @throws InvalidHistoryException when the event cannot follow the order's state
     */
    EventEnvelope apply(ConsumerRecord<byte[], byte[]> record) {
        return apply(Parsed.of(record));
    }

    EventEnvelope apply(Parsed parsed) {
        if (parsed.event() == null) {
            unreadableCount++;
            if (unreadable.size() < REMEMBERED_UNREADABLE) {
                unreadable.add(position(parsed.record()) + " (" + parsed.error() + ")");
            }
            return null;
        }
        return apply(parsed.event(), parsed.record()) ? parsed.event() : null;
    }

    private boolean apply(EventEnvelope event, ConsumerRecord<byte[], byte[]> record) {
        OrderKey key = event.key();
        OrderState state = orders.get(key);
        if (state != null && event.sequence() <= state.version()) {
            duplicates++;
            return false;
        }
        try {
            orders.put(key, OrderDecider.evolve(state, event));
        } catch (IllegalStateException invalid) {
            throw new InvalidHistoryException("the event log is not a valid history at " + position(record) + ": "
                    + invalid.getMessage());
        }
        applied++;
        return true;
    }

    Map<OrderKey, OrderState> orders() {
        return orders;
    }

    OrderState get(OrderKey key) {
        return orders.get(key);
    }

    long applied() {
        return applied;
    }

    long duplicates() {
        return duplicates;
    }

    long unreadableCount() {
        return unreadableCount;
    }

    List<String> unreadable() {
        return unreadable;
    }

    static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The event log cannot be folded: rebuilding or verifying from it would be meaningless. */
    static final class InvalidHistoryException extends OpsException {
        InvalidHistoryException(String message) {
            super(ExitCodes.FAILED_CHECK, message);
        }
    }
}
