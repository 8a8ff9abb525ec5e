package io.orderstream.events;

/**
 * Defaults of the processor that {@code orders-ops} must agree with, in one place: the processor's
 * properties record names them in its {@code @DefaultValue}s, {@code orders-ops} falls back to them
 * when neither PostgreSQL, a flag nor the environment says otherwise. Written in the services'
 * syntax ({@code 24h}), as the environment variables take them.
 */
public final class ProcessorDefaults {

    /** {@code orders.idempotency.ttl} ({@code ORDERS_IDEMPOTENCY_TTL}): how long a key is remembered. */
    public static final String IDEMPOTENCY_TTL = "24h";

    private ProcessorDefaults() {
    }
}
