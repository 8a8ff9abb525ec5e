package io.orderstream.idempotency;

/**
 * What the store remembers of a key: the fingerprint of the request that first used it, and the
 * response given to it.
 */
public record IdempotencyRecord(String fingerprint, StoredResponse response, long createdAtMs, long expiresAtMs) {

    public boolean isExpiredAt(long nowMs) {
        return nowMs >= expiresAtMs;
    }
}
