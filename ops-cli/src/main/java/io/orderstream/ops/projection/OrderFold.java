package io.orderstream.ops.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.projection.ProjectionFold;
import io.orderstream.projection.ProjectionRows;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.OpsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.UUID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every order's state as the projection's fold of its events ({@link ProjectionFold}, through
 * {@link OrderDecider#evolve}), built record by record from the event log exactly as the projector
 * folds it: an event whose sequence the order already has is a redelivered or replayed copy and
 * changes nothing; an unreadable record is skipped and counted (the projector skips it too, loudly).
 * An event the projector set aside ({@link #holdAt}), or one PostgreSQL could never hold
 * ({@link ProjectionRows#unwritable}), holds its order back from there on, as the projector holds
 * it: the order's events before it are folded, it and the later ones are not.
 * Each order also keeps the ids of its events, so that the tables can be compared event by event.
 */
final class OrderFold {

    /** The first few unreadable records, for the report. */
    private static final int REMEMBERED_UNREADABLE = 5;

    private final ProjectionFold fold = new ProjectionFold();
    /** Per order, the ids of its events by sequence: two longs per event (most, least significant bits). */
    private final Map<OrderKey, long[]> eventIds = new HashMap<>();
    private final java.util.Set<String> holdAt = new java.util.HashSet<>();
    private final Map<OrderKey, String> held = new java.util.LinkedHashMap<>();
    private long heldEvents;
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

    /** Positions ({@code topic-partition@offset}) of events the projector set aside: their orders stop there. */
    OrderFold holdAt(java.util.Set<String> positions) {
        holdAt.addAll(positions);
        return this;
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
        if (fold.isDuplicate(event)) {
            duplicates++;
            return false;
        }
        if (held.containsKey(key)) {
            heldEvents++;
            return false;
        }
        String position = position(record);
        String unwritable = holdAt.contains(position) ? "set aside by the projector" : ProjectionRows.unwritable(event);
        if (unwritable != null) {
            fold.hold(key, event.sequence());
            held.put(key, key + "#" + event.sequence() + " at " + position + ": " + unwritable);
            heldEvents++;
            return false;
        }
        ProjectionFold.Step step = fold.apply(event);
        if (step instanceof ProjectionFold.Refused refused) {
            throw new InvalidHistoryException("the event log is not a valid history at " + position + ": "
                    + refused.reason());
        }
        UUID id = UUID.fromString(event.eventId());
        long[] ids = eventIds.get(key);
        ids = ids == null ? new long[2] : Arrays.copyOf(ids, ids.length + 2);
        ids[ids.length - 2] = id.getMostSignificantBits();
        ids[ids.length - 1] = id.getLeastSignificantBits();
        eventIds.put(key, ids);
        applied++;
        return true;
    }

    Map<OrderKey, OrderState> orders() {
        return fold.states();
    }

    OrderState get(OrderKey key) {
        return fold.get(key);
    }

    /** The id of the order's event at this sequence, as the log has it; {@code null} if none. */
    UUID eventId(OrderKey key, long sequence) {
        long[] ids = eventIds.get(key);
        if (ids == null || sequence < 1 || 2 * sequence > ids.length) {
            return null;
        }
        int at = (int) (2 * (sequence - 1));
        return new UUID(ids[at], ids[at + 1]);
    }

    /** Orders held back, each with the event that holds it (coordinates and reason, no content). */
    Map<OrderKey, String> held() {
        return held;
    }

    /** Events kept out of the fold because their order is held. */
    long heldEvents() {
        return heldEvents;
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
