package io.orderstream.processor.orders;

import io.orderstream.idempotency.IdempotencyPolicy;
import java.time.Duration;

/**
 * What the command topology needs to know.
 *
 * @param idempotency      how keys are kept (TTL, compression, size bound)
 * @param purgeInterval    how often (wall-clock) expired keys are removed
 * @param purgeBatch       at most this many expired keys per purge and task, so a purge never
 *                         stalls processing
 * @param persistentStores RocksDB (true) or in-memory (false) state stores; both are changelogged
 * @param maxClockSkew     how far ahead of the processor's clock a command's {@code occurredAt} may
 *                         lie; see {@link CommandWindow}
 * @param metrics          where the processor reports what it does
 */
public record TopologySettings(IdempotencyPolicy idempotency, Duration purgeInterval, int purgeBatch,
        boolean persistentStores, Duration maxClockSkew, ProcessorMetrics metrics) {
}
