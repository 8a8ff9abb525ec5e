package io.orderstream.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The projection's fold, the rule every writer and checker of the tables follows: each order's state
 * is {@link OrderDecider#evolve} over its events in sequence. An event at or below the order's
 * version is a redelivered or replayed copy and changes nothing; an order held back (an event of
 * it set aside) takes none of its later events; an event that does not follow its order (a gap,
 * an order placed twice, a status it is not in, an event type the fold does not know, an event id
 * that is no UUID) is refused with its reason, never skipped: the caller sets it aside or stops.
 */
public final class ProjectionFold {

    /** What one event did to the fold. */
    public sealed interface Step {
    }

    /** The event is new: {@code before} ({@code null} for a new order) became {@code after}. */
    public record Applied(OrderKey key, OrderState before, OrderState after) implements Step {
    }

    /** The order already has this sequence: a copy of an event applied before. */
    public record Duplicate() implements Step {
    }

    /** The order is held back from an earlier sequence on. */
    public record Held(long from) implements Step {
    }

    /** The event cannot follow its order; the reason names no value of the event. */
    public record Refused(String reason) implements Step {
    }

    private final Map<OrderKey, OrderState> states;
    private final Map<OrderKey, Long> heldFrom;

    /** A fold starting from nothing. */
    public ProjectionFold() {
        this(new HashMap<>(), new HashMap<>());
    }

    /**
     * @param states   the orders as they stand (taken over, not copied)
     * @param heldFrom per held order, the first sequence held back (taken over, not copied)
     */
    public ProjectionFold(Map<OrderKey, OrderState> states, Map<OrderKey, Long> heldFrom) {
        this.states = states;
        this.heldFrom = heldFrom;
    }

    /** Folds one event. */
    public Step apply(EventEnvelope event) {
        OrderKey key = event.key();
        OrderState before = states.get(key);
        if (before != null && event.sequence() <= before.version()) {
            return new Duplicate();
        }
        Long held = heldFrom.get(key);
        if (held != null && event.sequence() >= held) {
            return new Held(held);
        }
        try {
            UUID.fromString(event.eventId());
        } catch (IllegalArgumentException | NullPointerException notUuid) {
            return new Refused("eventId is not a UUID");
        }
        OrderState after;
        try {
            after = OrderDecider.evolve(before, event);
        } catch (IllegalStateException doesNotFollow) {
            return new Refused(doesNotFollow.getMessage());
        }
        states.put(key, after);
        return new Applied(key, before, after);
    }

    /** Whether the order already has the event's sequence. */
    public boolean isDuplicate(EventEnvelope event) {
        OrderState state = states.get(event.key());
        return state != null && event.sequence() <= state.version();
    }

    /**
     * Holds the order back from this sequence on; puts the order back as it was before an applied
     * event of that sequence, when the writer could not write it after all.
     */
    public void hold(OrderKey key, long sequence, OrderState before) {
        heldFrom.merge(key, sequence, Math::min);
        if (before == null) {
            states.remove(key);
        } else {
            states.put(key, before);
        }
    }

    /** Holds the order back from this sequence on. */
    public void hold(OrderKey key, long sequence) {
        heldFrom.merge(key, sequence, Math::min);
    }

    public boolean isHeld(OrderKey key) {
        return heldFrom.containsKey(key);
    }

    public OrderState get(OrderKey key) {
        return states.get(key);
    }

    /** Every order folded so far. */
    public Map<OrderKey, OrderState> states() {
        return states;
    }
}
