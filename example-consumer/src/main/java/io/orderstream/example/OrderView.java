package io.orderstream.example;

import io.orderstream.events.OrderStatus;
import java.time.Instant;

/**
 * What this consumer knows of one order: its status, who changed it last, and the sequence of the
 * last event it applied, which is what makes a redelivered event recognisable.
 */
public record OrderView(OrderStatus status, long lastSequence, String lastActor, Instant updatedAt) {
}
