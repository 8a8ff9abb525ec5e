package io.orderstream.idempotency;

import java.time.Duration;
import java.util.Objects;

/**
 * How keys are kept.
 *
 * @param ttl                  how long a key is remembered; after it the key is new again and its
 *                             record is removed
 * @param compressAboveBytes   stored response bodies larger than this are compressed (deflate)
 * @param maxResponseBytes     the largest stored response (status, headers and body, uncompressed);
 *                             a larger one is refused with {@link ResponseTooLargeException}, never
 *                             truncated
 */
public record IdempotencyPolicy(Duration ttl, int compressAboveBytes, int maxResponseBytes) {

    /** 24 hours, as Stripe keeps keys. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final int DEFAULT_COMPRESS_ABOVE_BYTES = 1024;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

    public IdempotencyPolicy {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("idempotency TTL must be positive, was " + ttl);
        }
        if (compressAboveBytes < 0) {
            throw new IllegalArgumentException("compression threshold must not be negative");
        }
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("the response size bound must be positive");
        }
    }

    public IdempotencyPolicy(Duration ttl) {
        this(ttl, DEFAULT_COMPRESS_ABOVE_BYTES, DEFAULT_MAX_RESPONSE_BYTES);
    }

    public static IdempotencyPolicy defaults() {
        return new IdempotencyPolicy(DEFAULT_TTL);
    }
}
