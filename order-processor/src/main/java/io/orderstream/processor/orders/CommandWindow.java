package io.orderstream.processor.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency window: the times at which a command can still be deduplicated, and so decided.
 *
 * <p>A command is judged by its own time, {@code occurredAt} (set by the API when it accepted the
 * request, and carried unchanged by every replay, reset and redrive), not by the record's
 * timestamp, which a re-produced copy gets anew. Its key is remembered from the moment it was
 * processed (never earlier than {@code occurredAt}) for the TTL, so while {@code now < occurredAt +
 * ttl} the key of every earlier copy is surely still in the store. From then on the key may be
 * gone, or about to go at the next purge; the command is never decided, whether or not its key is
 * still there: the answer must not depend on when the purge last ran, and a replay of any range,
 * of any age, must change nothing that was not already changed.
 *
 * <p>A command dated ahead of the processor's clock by up to {@code maxClockSkew} is taken, and its
 * key remembered from its own time ({@link #rememberFrom}), so that the rule above still holds. One
 * dated further ahead (a producer's clock far off) would be remembered for less than its own
 * window, and is answered expired too.
 */
record CommandWindow(Duration ttl, Duration maxClockSkew) {

    /** Why a command at {@code occurredAt} cannot be decided at {@code nowMs}; empty when it can. */
    Optional<String> refusal(Instant occurredAt, long nowMs) {
        long occurred = occurredAt.toEpochMilli();
        Instant now = Instant.ofEpochMilli(nowMs);
        if (nowMs - occurred >= ttl.toMillis()) {
            return Optional.of("The command occurred at " + occurredAt + ", the idempotency TTL (" + ttl
                    + ") or more before it reached the processor (" + now + "): its Idempotency-Key may be forgotten, "
                    + "so it was not decided and nothing changed. Repeat the request with the same Idempotency-Key "
                    + "to have it decided now.");
        }
        if (occurred - nowMs > maxClockSkew.toMillis()) {
            return Optional.of("The command is dated " + occurredAt + ", more than the allowed clock skew ("
                    + maxClockSkew + ") ahead of the processor's clock (" + now + "): its Idempotency-Key could not be "
                    + "kept for its whole window, so it was not decided and nothing changed. Check the sender's clock.");
        }
        return Optional.empty();
    }

    /** From when a command decided at {@code nowMs} is remembered: its own time, if that is later. */
    static long rememberFrom(Instant occurredAt, long nowMs) {
        return Math.max(nowMs, occurredAt.toEpochMilli());
    }
}
