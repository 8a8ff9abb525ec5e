package io.orderstream.api.orders;

import io.orderstream.events.EventEnvelope;
import java.util.List;

/**
 * Body of {@code GET /api/v1/orders/{orderId}/events}: the order's events as they are on
 * {@code orders.events.v1}, in sequence order (1, 2, 3 …).
 */
record OrderHistory(String orderId, List<EventEnvelope> events) {
}
