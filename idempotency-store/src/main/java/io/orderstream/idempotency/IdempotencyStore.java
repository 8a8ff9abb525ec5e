package io.orderstream.idempotency;

/**
 * Idempotency records of one Kafka Streams task, keyed by (scope, key). The scope is the caller's
 * (for instance tenant and the entity the key targets): keys of different scopes never meet.
 *
 * <p>Obtain one with {@link IdempotencyStores#open} over the state store that
 * {@link IdempotencyStores#persistent} or {@link IdempotencyStores#inMemory} builds. All writes
 * go to that state store, so they are changelogged and commit atomically with the task's output
 * under exactly-once processing.
 */
public interface IdempotencyStore {

    Lookup lookup(String scope, String key, String fingerprint, long nowMs);

    /**
     * Remembers the response given for (scope, key) until {@code nowMs + ttl}; bodies above the
     * policy's threshold are stored compressed.
     *
     * @throws ResponseTooLargeException when the response exceeds the policy's bound; nothing is stored
     */
    IdempotencyRecord remember(String scope, String key, String fingerprint, StoredResponse response, long nowMs);

    /**
     * Removes up to {@code max} records that expired at or before {@code nowMs}, oldest first. The
     * work is proportional to what expired: it walks a time-ordered index, never the whole store.
     *
     * @return how many index entries were visited (each removes an expired record or a stale entry)
     */
    int purgeExpired(long nowMs, int max);

    /** Roughly how many keys are remembered (the state store's estimate). */
    long approximateKeys();

    IdempotencyPolicy policy();
}
