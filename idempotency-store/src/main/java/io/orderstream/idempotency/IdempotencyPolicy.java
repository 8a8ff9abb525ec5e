package io.orderstream.idempotency;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a key is remembered. After {@code ttl} a key is treated as new: its stored response is
 * no longer replayed and the record is removed.
 */
public record IdempotencyPolicy(Duration ttl) {

    /** 24 hours, as Stripe keeps keys. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    public IdempotencyPolicy {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("idempotency TTL must be positive, was " + ttl);
        }
    }

    public static IdempotencyPolicy defaults() {
        return new IdempotencyPolicy(DEFAULT_TTL);
    }
}
