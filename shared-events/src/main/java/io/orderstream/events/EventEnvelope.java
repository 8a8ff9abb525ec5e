package io.orderstream.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An event on {@code orders.events.v1}, keyed {@code tenant/orderId}: the event log.
 *
 * @param sequence    per order: 1, 2, 3 … with no gaps
 * @param causationId the command that caused it
 * @param schemaVersion {@link SchemaVersions#EVENT} for what this build writes; JSON of an older
 *                    version is upcast on reading ({@link EventUpcaster}), so {@link Json#read}
 *                    returns the newest shape
 */
public record EventEnvelope(
        int schemaVersion,
        String eventId,
        String tenantId,
        String orderId,
        long sequence,
        Instant occurredAt,
        String causationId,
        String requestId,
        String idempotencyKey,
        OrderEvent event) {

    public EventEnvelope {
        if (schemaVersion < SchemaVersions.EVENT_OLDEST || schemaVersion > SchemaVersions.EVENT) {
            throw new IllegalArgumentException("unsupported event schemaVersion " + schemaVersion + " (this build reads "
                    + SchemaVersions.EVENT_OLDEST + " to " + SchemaVersions.EVENT + ")");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
        Objects.requireNonNull(eventId, "eventId is required");
        Objects.requireNonNull(occurredAt, "occurredAt is required");
        Objects.requireNonNull(event, "event is required");
        new OrderKey(tenantId, orderId);
    }

    public OrderKey key() {
        return new OrderKey(tenantId, orderId);
    }
}
