package io.orderstream.events;

import java.util.List;
import java.util.Optional;

/**
 * The order state machine as two pure functions: {@link #decide} turns a command and the current
 * state into a {@link Decision}; {@link #evolve} folds one recorded event into the state. No
 * I/O, no clock: the caller supplies times through the event envelopes.
 */
public final class OrderDecider {

    private OrderDecider() {
    }

    /**
     * @param state the order as it stands, or {@code null} when it does not exist
     */
    public static Decision decide(OrderCommand command, OrderState state) {
        return decide(command, state, null);
    }

    /**
     * @param state the order as it stands, or {@code null} when it does not exist
     * @param actor who asks (recorded on status changes), or {@code null} when not known
     */
    public static Decision decide(OrderCommand command, OrderState state, String actor) {
        Optional<String> violation = CommandValidation.violation(command);
        if (violation.isPresent()) {
            return new Decision.Rejected(ProblemType.VALIDATION, violation.get());
        }
        if (command instanceof OrderCommand.PlaceOrder place) {
            if (state != null) {
                return new Decision.Rejected(ProblemType.ORDER_ALREADY_EXISTS,
                        "Order " + state.orderId() + " already exists.");
            }
            long total = place.lines().stream().mapToLong(OrderLine::totalMinor).sum();
            return new Decision.Accepted(List.of(
                    new OrderEvent.OrderPlaced(place.customerId(), place.currency(), place.lines(), total)));
        }
        OrderCommand.ChangeStatus change = (OrderCommand.ChangeStatus) command;
        if (state == null) {
            return new Decision.Rejected(ProblemType.ORDER_NOT_FOUND, "No such order.");
        }
        if (state.status() == change.status()) {
            return new Decision.Unchanged();
        }
        if (!state.status().canMoveTo(change.status())) {
            return new Decision.Rejected(ProblemType.INVALID_TRANSITION,
                    "An order in status " + state.status() + " cannot move to " + change.status()
                            + (state.status().isFinal() ? " (" + state.status() + " is final)." : "; allowed: "
                            + state.status().next() + "."));
        }
        return new Decision.Accepted(List.of(
                new OrderEvent.OrderStatusChanged(state.status(), change.status(), change.reason(), actor)));
    }

    /**
     * Folds one recorded event into the state.
     *
     * @param state the state before the event, or {@code null} before the first event
     * @throws IllegalStateException when the event does not follow the state (wrong sequence, an
     *                               event that cannot apply, an event type it does not know): the log
     *                               is not a valid history
     */
    public static OrderState evolve(OrderState state, EventEnvelope recorded) {
        long expected = state == null ? 1 : state.version() + 1;
        if (recorded.sequence() != expected) {
            throw new IllegalStateException("order " + recorded.key() + ": expected sequence " + expected
                    + " but got " + recorded.sequence());
        }
        OrderEvent event = recorded.event();
        if (event instanceof OrderEvent.OrderPlaced placed) {
            if (state != null) {
                throw new IllegalStateException("order " + recorded.key() + " placed twice");
            }
            return new OrderState(recorded.orderId(), OrderStatus.PENDING, recorded.sequence(),
                    placed.customerId(), placed.currency(), placed.totalMinor(), placed.lines(),
                    recorded.occurredAt(), recorded.occurredAt());
        }
        if (!(event instanceof OrderEvent.OrderStatusChanged changed)) {
            // a type added to OrderEvent and not to the fold: no projection may skip it
            throw new IllegalStateException("order " + recorded.key() + ": event type " + event.typeName()
                    + " is unknown to the fold");
        }
        if (state == null || state.status() != changed.from()) {
            throw new IllegalStateException("order " + recorded.key() + ": status change from " + changed.from()
                    + " does not apply to " + (state == null ? "a missing order" : state.status()));
        }
        return new OrderState(state.orderId(), changed.to(), recorded.sequence(), state.customerId(),
                state.currency(), state.totalMinor(), state.lines(), state.createdAt(), recorded.occurredAt());
    }

    /** The state after all of an order's events, in sequence order; {@code null} for none. */
    public static OrderState fold(Iterable<EventEnvelope> events) {
        OrderState state = null;
        for (EventEnvelope event : events) {
            state = evolve(state, event);
        }
        return state;
    }
}
