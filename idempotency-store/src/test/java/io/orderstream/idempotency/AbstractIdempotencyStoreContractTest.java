package io.orderstream.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every idempotency store implementation keeps; one subclass per implementation. */
abstract class AbstractIdempotencyStoreContractTest {

    private static final Duration TTL = Duration.ofHours(24);
    private static final long T0 = 1_800_000_000_000L;

    private KeyValueStore<Bytes, byte[]> stateStore;
    private IdempotencyStore store;

    protected abstract StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name);

    @TempDir
    Path stateDir;

    @BeforeEach
    void openStore() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "contract-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        stateStore = builder("idempotency").withLoggingDisabled().build();
        stateStore.init(context.getStateStoreContext(), stateStore);
        store = IdempotencyStores.open(stateStore, new IdempotencyPolicy(TTL));
    }

    @AfterEach
    void closeStore() {
        stateStore.close();
    }

    @Test
    void unknownKey_isNew() {
        assertThat(store.lookup("acme/o-1", "k1", "fp", T0)).isEqualTo(new Lookup.New());
    }

    @Test
    void rememberedKey_withSameFingerprint_isReplayedWithItsResponse() {
        store.remember("acme/o-1", "k1", "fp", bytes("response-1"), T0);

        Lookup lookup = store.lookup("acme/o-1", "k1", "fp", T0 + 1000);

        assertThat(lookup).isInstanceOf(Lookup.Replay.class);
        IdempotencyRecord record = ((Lookup.Replay) lookup).record();
        assertThat(new String(record.response(), StandardCharsets.UTF_8)).isEqualTo("response-1");
        assertThat(record.createdAtMs()).isEqualTo(T0);
        assertThat(record.expiresAtMs()).isEqualTo(T0 + TTL.toMillis());
    }

    @Test
    void rememberedKey_withOtherFingerprint_isAMismatch_andKeepsTheFirstResponse() {
        store.remember("acme/o-1", "k1", "fp-a", bytes("first"), T0);

        Lookup lookup = store.lookup("acme/o-1", "k1", "fp-b", T0 + 1);

        assertThat(lookup).isInstanceOf(Lookup.Mismatch.class);
        assertThat(store.lookup("acme/o-1", "k1", "fp-a", T0 + 2)).isInstanceOf(Lookup.Replay.class);
    }

    @Test
    void sameKey_inDifferentScopes_neverMeets() {
        store.remember("acme/o-1", "k1", "fp", bytes("acme"), T0);

        assertThat(store.lookup("globex/o-1", "k1", "fp", T0)).isEqualTo(new Lookup.New());
        assertThat(store.lookup("acme/o-2", "k1", "fp", T0)).isEqualTo(new Lookup.New());
        // the length prefix keeps ("a", "bc") and ("ab", "c") apart
        store.remember("a", "bc", "fp", bytes("x"), T0);
        assertThat(store.lookup("ab", "c", "fp", T0)).isEqualTo(new Lookup.New());
    }

    @Test
    void expiredKey_isNew_andMayBeUsedAgain() {
        store.remember("acme/o-1", "k1", "fp-a", bytes("old"), T0);
        long expiry = T0 + TTL.toMillis();

        assertThat(store.lookup("acme/o-1", "k1", "fp-a", expiry - 1)).isInstanceOf(Lookup.Replay.class);
        assertThat(store.lookup("acme/o-1", "k1", "fp-b", expiry)).isEqualTo(new Lookup.New());

        store.remember("acme/o-1", "k1", "fp-b", bytes("new"), expiry);
        Lookup again = store.lookup("acme/o-1", "k1", "fp-b", expiry + 1);
        assertThat(new String(((Lookup.Replay) again).record().response(), StandardCharsets.UTF_8))
                .isEqualTo("new");

        // purging the first expiry removes only its stale index entry, not the reused key's record
        assertThat(store.purgeExpired(expiry, 100)).isEqualTo(1);
        assertThat(store.lookup("acme/o-1", "k1", "fp-b", expiry + 2)).isInstanceOf(Lookup.Replay.class);
    }

    @Test
    void purge_visitsOnlyWhatExpired() {
        for (int i = 0; i < 1000; i++) {
            store.remember("acme/o-" + i, "k", "fp", bytes("r"), T0 + i * 1000L);
        }

        int visited = store.purgeExpired(T0 + TTL.toMillis() + 9_000, 10_000);

        assertThat(visited).isEqualTo(10);
        assertThat(store.lookup("acme/o-9", "k", "fp", T0)).isEqualTo(new Lookup.New());
        assertThat(store.lookup("acme/o-10", "k", "fp", T0)).isInstanceOf(Lookup.Replay.class);
        // 990 records and their index entries remain
        assertThat(stateStore.approximateNumEntries()).isBetween(990L * 2 - 50, 990L * 2 + 50);
    }

    @Test
    void purge_respectsItsBatchBound() {
        for (int i = 0; i < 50; i++) {
            store.remember("acme/o-" + i, "k", "fp", bytes("r"), T0);
        }

        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isEqualTo(20);
        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isEqualTo(20);
        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isEqualTo(10);
        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
