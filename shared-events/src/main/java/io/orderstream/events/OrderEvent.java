package io.orderstream.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What happened to an order. Events are facts: never changed, never removed. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = OrderEvent.OrderPlaced.class, name = "OrderPlaced"),
        @JsonSubTypes.Type(value = OrderEvent.OrderStatusChanged.class, name = "OrderStatusChanged")})
public sealed interface OrderEvent {

    record OrderPlaced(String customerId, String currency, List<OrderLine> lines, long totalMinor)
            implements OrderEvent {
        public OrderPlaced {
            lines = List.copyOf(lines);
        }
    }

    /**
     * @param actor who asked for the change (the caller's token subject); {@code null} when not
     *              known, which is every event written before schema version 2
     */
    record OrderStatusChanged(OrderStatus from, OrderStatus to, String reason, String actor) implements OrderEvent {

        /** A change by an unknown actor. */
        public OrderStatusChanged(OrderStatus from, OrderStatus to, String reason) {
            this(from, to, reason, null);
        }
    }

    /** The name under which the event is written ({@code type} in JSON). */
    default String typeName() {
        return getClass().getSimpleName();
    }
}
