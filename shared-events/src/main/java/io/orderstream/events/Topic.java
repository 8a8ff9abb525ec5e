package io.orderstream.events;

import org.apache.kafka.common.serialization.Serde;

/** A topic: its name tied to the serdes of its keys and values. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
