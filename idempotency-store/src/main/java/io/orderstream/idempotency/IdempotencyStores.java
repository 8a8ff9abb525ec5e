package io.orderstream.idempotency;

import io.orderstream.idempotency.internals.KeyValueIdempotencyStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Factories for idempotency stores, in the manner of {@link Stores}. Add the builder to the
 * topology, then in the processor's {@code init} wrap the state store with {@link #open}.
 */
public final class IdempotencyStores {

    private IdempotencyStores() {
    }

    /** A RocksDB store, changelogged: survives restarts and task migration. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> persistent(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
    }

    /** An in-memory store, changelogged: restored from the changelog on restart. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> inMemory(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
    }

    /** The idempotency view of a state store built by {@link #persistent} or {@link #inMemory}. */
    public static IdempotencyStore open(KeyValueStore<Bytes, byte[]> store, IdempotencyPolicy policy) {
        return open(store, policy, IdempotencyListener.NONE);
    }

    /** As {@link #open(KeyValueStore, IdempotencyPolicy)}, telling {@code listener} of lookups and purges. */
    public static IdempotencyStore open(KeyValueStore<Bytes, byte[]> store, IdempotencyPolicy policy,
            IdempotencyListener listener) {
        return new KeyValueIdempotencyStore(store, policy, listener);
    }
}
