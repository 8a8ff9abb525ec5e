package io.orderstream.events;

/**
 * Defaults of the processor that {@code orders-ops} must agree with, in one place: the processor's
 * properties record names them in its {@code @DefaultValue}s, {@code orders-ops} falls back to them
 * when neither PostgreSQL, a flag nor the environment says otherwise. Written in the services'
 * syntax ({@code 24h}), as the environment variables take them.
 *
 * <p>Two of them are Spring's settings, not the processor's own, and have their default in
 * {@code order-processor.yml}; the processor's {@code ProcessorPropertiesTest} holds the file to these.
 */
public final class ProcessorDefaults {

    /** {@code orders.idempotency.ttl} ({@code ORDERS_IDEMPOTENCY_TTL}): how long a key is remembered. */
    public static final String IDEMPOTENCY_TTL = "24h";

    /**
     * {@code spring.kafka.streams.application-id} ({@code ORDERS_STREAMS_APPLICATION_ID}): the Streams
     * application id, also the processor's row in {@code processor_settings}.
     */
    public static final String STREAMS_APPLICATION_ID = "order-processor";

    /**
     * {@code spring.kafka.consumer.group-id} ({@code ORDERS_PROJECTOR_GROUP}): the projector's consumer
     * group, also the key of its positions in {@code projector_offsets}.
     */
    public static final String PROJECTOR_GROUP = "order-projector";

    private ProcessorDefaults() {
    }
}
