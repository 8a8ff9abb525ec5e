package io.orderstream.idempotency;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

class InMemoryIdempotencyStoreTest extends AbstractIdempotencyStoreContractTest {

    @Override
    protected StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
        return IdempotencyStores.inMemory(name);
    }
}
