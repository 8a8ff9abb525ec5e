package io.orderstream.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A command on {@code orders.commands.v1}, keyed {@code tenant/orderId}.
 *
 * @param requestId      the HTTP request that sent it; the API waits for a result carrying it
 * @param commandId      unique per produced command
 * @param idempotencyKey the client's {@code Idempotency-Key}
 * @param fingerprint    SHA-256 of method, path and canonical body: same key + other fingerprint = 422
 */
public record CommandEnvelope(
        int schemaVersion,
        String commandId,
        String requestId,
        String tenantId,
        String orderId,
        String idempotencyKey,
        String fingerprint,
        Instant occurredAt,
        OrderCommand command) {

    public CommandEnvelope {
        if (schemaVersion != SchemaVersions.COMMAND) {
            throw new IllegalArgumentException("unsupported command schemaVersion " + schemaVersion
                    + " (this build reads " + SchemaVersions.COMMAND + ")");
        }
        Objects.requireNonNull(commandId, "commandId is required");
        Objects.requireNonNull(requestId, "requestId is required");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey is required");
        Objects.requireNonNull(fingerprint, "fingerprint is required");
        Objects.requireNonNull(occurredAt, "occurredAt is required");
        Objects.requireNonNull(command, "command is required");
        new OrderKey(tenantId, orderId); // validates both ids
    }

    public OrderKey key() {
        return new OrderKey(tenantId, orderId);
    }
}
