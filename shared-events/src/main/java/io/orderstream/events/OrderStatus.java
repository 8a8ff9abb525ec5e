package io.orderstream.events;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of an order. {@code PENDING → PROCESSING → SHIPPED → DELIVERED → REFUNDED};
 * {@code PENDING} and {@code PROCESSING} may go to {@code CANCELED}. {@code CANCELED} and
 * {@code REFUNDED} are final.
 */
public enum OrderStatus {
    PENDING, PROCESSING, SHIPPED, DELIVERED, REFUNDED, CANCELED;

    /** The statuses this one may move to; empty for a final status. */
    public Set<OrderStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(PROCESSING, CANCELED);
            case PROCESSING -> EnumSet.of(SHIPPED, CANCELED);
            case SHIPPED -> EnumSet.of(DELIVERED);
            case DELIVERED -> EnumSet.of(REFUNDED);
            case REFUNDED, CANCELED -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    public boolean canMoveTo(OrderStatus target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }
}
