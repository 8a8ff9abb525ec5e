package io.orderstream.processor.orders;

import io.orderstream.events.Topics;
import io.orderstream.idempotency.IdempotencyStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The command path as one Kafka Streams topology:
 *
 * <pre>
 * orders.commands.v1 ─▶ CommandProcessor ─┬─▶ orders.events.v1           (applied commands)
 *   (bytes, keyed       [idempotency]     ├─▶ orders.command-results.v1  (every command that was read)
 *    tenant/orderId)    [order-state]     └─▶ orders.commands.dlq.v1     (what could not be read)
 * </pre>
 *
 * Under {@code exactly_once_v2} everything one command causes (events, both stores' changelogs,
 * the result, the input offset) commits in one transaction.
 */
public final class OrderTopology {

    public static final String IDEMPOTENCY_STORE = "idempotency-records";
    public static final String ORDER_STATE_STORE = "order-state";

    private OrderTopology() {
    }

    /** Builds the whole topology; what tests drive through {@code TopologyTestDriver}. */
    public static Topology build(TopologySettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, settings);
        return builder.build();
    }

    /** Adds the command path to a builder (the one Spring's {@code @EnableKafkaStreams} provides). */
    public static KStream<byte[], Routed> define(StreamsBuilder builder, TopologySettings settings) {
        builder.addStateStore(idempotencyStore(settings));
        builder.addStateStore(orderStateStore(settings));
        KStream<byte[], Routed> routed = builder
                .stream(Topics.COMMANDS.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("commands"))
                .process(() -> new CommandProcessor(settings), IDEMPOTENCY_STORE, ORDER_STATE_STORE);
        routed.to((key, value, context) -> value.topic(),
                Produced.with(Serdes.ByteArray(), Routed.SERDE).withName("route"));
        return routed;
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> idempotencyStore(TopologySettings settings) {
        return settings.persistentStores()
                ? IdempotencyStores.persistent(IDEMPOTENCY_STORE)
                : IdempotencyStores.inMemory(IDEMPOTENCY_STORE);
    }

    /** Keyed tenant/orderId (UTF-8), valued as {@link OrderStates} writes them (a format byte, then JSON). */
    private static StoreBuilder<KeyValueStore<String, byte[]>> orderStateStore(TopologySettings settings) {
        return Stores.keyValueStoreBuilder(
                settings.persistentStores()
                        ? Stores.persistentKeyValueStore(ORDER_STATE_STORE)
                        : Stores.inMemoryKeyValueStore(ORDER_STATE_STORE),
                Serdes.String(), Serdes.ByteArray());
    }
}
