package io.orderstream.events;

import java.time.Instant;

/**
 * The answer to one command on {@code orders.command-results.v1}, keyed {@code tenant/orderId}.
 * Exactly one of {@code order} (success: the order after the command) and {@code problem}
 * (rejection) is set. The same result, stored under the idempotency key, answers every duplicate:
 * those carry {@code replayed = true} and the duplicate's own {@code requestId}.
 */
public record CommandResult(
        int schemaVersion,
        String requestId,
        String commandId,
        String tenantId,
        String orderId,
        Outcome outcome,
        int status,
        OrderState order,
        Problem problem,
        boolean replayed,
        Instant processedAt) {

    public enum Outcome {
        /** The command changed the order: events were appended. */
        APPLIED,
        /** The command asked for what already is (e.g. the status the order has): no event. */
        UNCHANGED,
        /** The state machine or validation refused the command: no event. */
        REJECTED,
        /** The key was used before with another request: nothing done, nothing stored. */
        KEY_REUSED,
        /** The processor could not handle the command; it is parked in the DLQ, nothing stored. */
        FAILED,
        /**
         * The command's own time ({@code occurredAt}) lies outside the idempotency window of the
         * processor: older than its TTL, or further ahead than the clock skew it allows. Its key can
         * no longer be trusted to deduplicate it, so it is not decided: nothing done, nothing stored.
         */
        EXPIRED
    }

    public CommandResult {
        if (schemaVersion != SchemaVersions.RESULT) {
            throw new IllegalArgumentException("unsupported result schemaVersion " + schemaVersion);
        }
        if ((order == null) == (problem == null)) {
            throw new IllegalArgumentException("a result carries either an order or a problem");
        }
    }

    public boolean isSuccess() {
        return order != null;
    }
}
