package io.orderstream.events;

import java.time.Instant;
import java.util.List;

/**
 * An order as it stands after its events: the fold of its event log. This is also the JSON body
 * the HTTP API answers with. {@code version} is the number of events applied, which is the
 * sequence of the last one.
 */
public record OrderState(
        String orderId,
        OrderStatus status,
        long version,
        String customerId,
        String currency,
        long totalMinor,
        List<OrderLine> lines,
        Instant createdAt,
        Instant updatedAt) {

    public OrderState {
        lines = List.copyOf(lines);
    }
}
