package io.orderstream.ops.support;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** How long the processor remembers idempotency keys: commands older than that are decided again. */
public final class IdempotencyTtlOption {

    @Option(names = "--idempotency-ttl", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "The processor's ORDERS_IDEMPOTENCY_TTL (ISO-8601, default: ${DEFAULT-VALUE}): commands older "
                    + "than that are no longer deduplicated, and the command warns about them.")
    Duration ttl;

    public Duration ttl() {
        return ttl;
    }

    /** Commands sent before this instant are no longer remembered. */
    public Instant rememberedSince() {
        return Instant.now().minus(ttl);
    }
}
