package io.orderstream.processor.orders;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** An output record of the command processor: already-serialised bytes and the topic they go to. */
public record Routed(String topic, byte[] value) {

    /** Writes {@link #value()} as it is; the topology never reads {@code Routed} back. */
    static final Serde<Routed> SERDE = Serdes.serdeFrom(
            (Serializer<Routed>) (topic, routed) -> routed == null ? null : routed.value(),
            (topic, bytes) -> {
                throw new UnsupportedOperationException("Routed records are written, never read");
            });
}
