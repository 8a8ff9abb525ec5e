package io.orderstream.idempotency;

import java.util.Arrays;

/**
 * What the store remembers of a key: the fingerprint of the request that first used it and the
 * response given to it, opaque bytes the caller chose.
 */
public record IdempotencyRecord(String fingerprint, byte[] response, long createdAtMs, long expiresAtMs) {

    public boolean isExpiredAt(long nowMs) {
        return nowMs >= expiresAtMs;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdempotencyRecord that && fingerprint.equals(that.fingerprint)
                && Arrays.equals(response, that.response) && createdAtMs == that.createdAtMs
                && expiresAtMs == that.expiresAtMs;
    }

    @Override
    public int hashCode() {
        return 31 * fingerprint.hashCode() + Arrays.hashCode(response);
    }

    @Override
    public String toString() {
        return "IdempotencyRecord[fingerprint=" + fingerprint + ", response=" + response.length + " bytes, createdAtMs="
                + createdAtMs + ", expiresAtMs=" + expiresAtMs + "]";
    }
}
