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
 * @param actor          optional: who asked (the token's subject); added to version 1 as an optional
 *                       field, so commands without it stay valid
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
        OrderCommand command,
        String actor) {

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

    /** A command of an unknown actor. */
    public CommandEnvelope(int schemaVersion, String commandId, String requestId, String tenantId, String orderId,
            String idempotencyKey, String fingerprint, Instant occurredAt, OrderCommand command) {
        this(schemaVersion, commandId, requestId, tenantId, orderId, idempotencyKey, fingerprint, occurredAt, command,
                null);
    }

    public OrderKey key() {
        return new OrderKey(tenantId, orderId);
    }
}
