package io.orderstream.processor.orders;

import io.orderstream.idempotency.IdempotencyPolicy;
import java.time.Duration;

/**
 * What the command topology needs to know.
 *
 * @param idempotency      how keys are kept (TTL, compression, size bound)
 * @param purgeInterval    how often (wall-clock) expired keys are removed
 * @param purgeBatch       expired keys removed per step of a periodic purge
 * @param purgeBudget      how long a periodic purge may run per task: it goes on in batches while
 *                         keys are expired, up to this, so it never stalls processing for long
 * @param persistentStores RocksDB (true) or in-memory (false) state stores; both are changelogged
 * @param maxClockSkew     how far ahead of the processor's clock a command's {@code occurredAt} may
 *                         lie; see {@link CommandWindow}
 * @param metrics          where the processor reports what it does
 * @param tracing          the spans of each command and of the records it writes
 * @param commitRequests   when a command asks for a commit at once rather than at the interval
 */
public record TopologySettings(IdempotencyPolicy idempotency, Duration purgeInterval, int purgeBatch,
        Duration purgeBudget,
        boolean persistentStores, Duration maxClockSkew, ProcessorMetrics metrics, CommandTracing tracing,
        CommitRequests commitRequests) {

    /** Commits at the interval only. */
    public TopologySettings(IdempotencyPolicy idempotency, Duration purgeInterval, int purgeBatch,
            Duration purgeBudget, boolean persistentStores, Duration maxClockSkew, ProcessorMetrics metrics,
            CommandTracing tracing) {
        this(idempotency, purgeInterval, purgeBatch, purgeBudget, persistentStores, maxClockSkew, metrics, tracing,
                CommitRequests.NEVER);
    }

    /** Without spans: each record written continues its command's trace ({@link CommandTracing#HEADERS_ONLY}). */
    public TopologySettings(IdempotencyPolicy idempotency, Duration purgeInterval, int purgeBatch,
            Duration purgeBudget, boolean persistentStores, Duration maxClockSkew, ProcessorMetrics metrics) {
        this(idempotency, purgeInterval, purgeBatch, purgeBudget, persistentStores, maxClockSkew, metrics,
                CommandTracing.HEADERS_ONLY);
    }
}
