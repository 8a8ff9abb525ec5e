package io.orderstream.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        assertThat(store.lookup("acme/o-1", "k1", "fp", T0)).isEqualTo(new Lookup.New(false));
    }

    @Test
    void rememberedKey_withSameFingerprint_isReplayedWithItsResponse() {
        store.remember("acme/o-1", "k1", "fp", response("response-1"), T0);

        Lookup lookup = store.lookup("acme/o-1", "k1", "fp", T0 + 1000);

        assertThat(lookup).isInstanceOf(Lookup.Replay.class);
        IdempotencyRecord record = ((Lookup.Replay) lookup).record();
        assertThat(record.response()).isEqualTo(response("response-1"));
        assertThat(record.createdAtMs()).isEqualTo(T0);
        assertThat(record.expiresAtMs()).isEqualTo(T0 + TTL.toMillis());
    }

    @Test
    void rememberedKey_withOtherFingerprint_isAMismatch_andKeepsTheFirstResponse() {
        store.remember("acme/o-1", "k1", "fp-a", response("first"), T0);

        Lookup lookup = store.lookup("acme/o-1", "k1", "fp-b", T0 + 1);

        assertThat(lookup).isInstanceOf(Lookup.Mismatch.class);
        assertThat(store.lookup("acme/o-1", "k1", "fp-a", T0 + 2)).isInstanceOf(Lookup.Replay.class);
    }

    @Test
    void sameKey_inDifferentScopes_neverMeets() {
        store.remember("acme/o-1", "k1", "fp", response("acme"), T0);

        assertThat(store.lookup("globex/o-1", "k1", "fp", T0)).isEqualTo(new Lookup.New(false));
        assertThat(store.lookup("acme/o-2", "k1", "fp", T0)).isEqualTo(new Lookup.New(false));
        // the length prefix keeps ("a", "bc") and ("ab", "c") apart
        store.remember("a", "bc", "fp", response("x"), T0);
        assertThat(store.lookup("ab", "c", "fp", T0)).isEqualTo(new Lookup.New(false));
    }

    @Test
    void expiredKey_isNew_andMayBeUsedAgain() {
        store.remember("acme/o-1", "k1", "fp-a", response("old"), T0);
        long expiry = T0 + TTL.toMillis();

        assertThat(store.lookup("acme/o-1", "k1", "fp-a", expiry - 1)).isInstanceOf(Lookup.Replay.class);
        assertThat(store.lookup("acme/o-1", "k1", "fp-b", expiry)).isEqualTo(new Lookup.New(true));

        store.remember("acme/o-1", "k1", "fp-b", response("new"), expiry);
        Lookup again = store.lookup("acme/o-1", "k1", "fp-b", expiry + 1);
        assertThat(((Lookup.Replay) again).record().response()).isEqualTo(response("new"));

        // the new key purged the first expiry: only its stale index entry, not the reused key's record
        assertThat(store.purgeExpired(expiry, 100)).isZero();
        assertThat(entries()).isEqualTo(1);
        assertThat(store.lookup("acme/o-1", "k1", "fp-b", expiry + 2)).isInstanceOf(Lookup.Replay.class);
    }

    @Test
    void purge_visitsOnlyWhatExpired() {
        for (int i = 0; i < 1000; i++) {
            store.remember("acme/o-" + i, "k", "fp", response("r"), T0 + i * 1000L);
        }

        int visited = store.purgeExpired(T0 + TTL.toMillis() + 9_000, 10_000);

        assertThat(visited).isEqualTo(10);
        assertThat(store.lookup("acme/o-9", "k", "fp", T0)).isEqualTo(new Lookup.New(false)); // gone, not just expired
        assertThat(store.lookup("acme/o-10", "k", "fp", T0)).isInstanceOf(Lookup.Replay.class);
        // 990 records remain, one entry each: the expiry order is not stored
        assertThat(entries()).isEqualTo(990);
        assertThat(store.approximateKeys()).isEqualTo(990);
    }

    @Test
    void purge_respectsItsBatchBound() {
        for (int i = 0; i < 50; i++) {
            store.remember("acme/o-" + i, "k", "fp", response("r"), T0);
        }

        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isEqualTo(20);
        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isEqualTo(20);
        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isEqualTo(10);
        assertThat(store.purgeExpired(T0 + TTL.toMillis(), 20)).isZero();
    }

    @Test
    void keysArrivingFasterThanThePeriodicPurge_stayBoundedByWhatTheTtlHolds() {
        // 500 new keys a second (30,000 a minute: three times what a purge of 10,000 a minute
        // removes), a 10 s TTL, for 5 minutes with the processor's periodic purge once a minute
        IdempotencyStore shortLived = IdempotencyStores.open(stateStore, new IdempotencyPolicy(Duration.ofSeconds(10)));
        int perSecond = 500;
        long largest = 0;
        for (int second = 0; second < 300; second++) {
            long now = T0 + second * 1000L;
            for (int i = 0; i < perSecond; i++) {
                shortLived.remember("acme/o-" + second + "-" + i, "k", "fp", response("r"), now + i);
            }
            if (second % 60 == 59) {
                shortLived.purgeExpired(now + 999, 10_000);
            }
            if (second % 10 == 9) {
                largest = Math.max(largest, entries());
            }
        }

        // what lives is what the last 10 s brought (5,000 keys, one entry each), not what 5 minutes did
        assertThat(largest).isLessThanOrEqualTo((long) perSecond * 11);
        long end = T0 + 300_000L;
        assertThat(shortLived.lookup("acme/o-295-0", "k", "fp", end)).isInstanceOf(Lookup.Replay.class);
        assertThat(shortLived.lookup("acme/o-100-0", "k", "fp", end)).isEqualTo(new Lookup.New(false));
    }

    @Test
    void aBacklogOfExpiredKeys_drainsWhileNewKeysArrive() {
        // 3,000 keys expired while nothing purged them (a pause, a restart); then 1,500 new keys
        for (int i = 0; i < 3000; i++) {
            store.remember("acme/old-" + i, "k", "fp", response("r"), T0);
        }
        long later = T0 + TTL.toMillis();
        for (int i = 0; i < 1500; i++) {
            store.remember("acme/new-" + i, "k", "fp", response("r"), later + i);
        }

        assertThat(entries()).isEqualTo(1500);
        assertThat(store.purgeExpired(later + 1500, 10_000)).isZero();
    }

    @Test
    void eachKey_isOneStoredEntry_andAStoreOpenedAgain_purgesWhatAnEarlierOneRemembered() {
        for (int i = 0; i < 100; i++) {
            store.remember("acme/o-" + i, "k", "fp", response("r"), T0 + i);
        }
        assertThat(entries()).isEqualTo(100);

        // as after a restart or a task moving: a new view over the restored state store
        IdempotencyStore reopened = IdempotencyStores.open(stateStore, new IdempotencyPolicy(TTL));

        assertThat(reopened.approximateKeys()).isEqualTo(100);
        assertThat(reopened.purgeExpired(T0 + TTL.toMillis() + 49, 1000)).isEqualTo(50);
        assertThat(entries()).isEqualTo(50);
        assertThat(reopened.lookup("acme/o-49", "k", "fp", T0)).isEqualTo(new Lookup.New(false));
        assertThat(reopened.lookup("acme/o-50", "k", "fp", T0)).isInstanceOf(Lookup.Replay.class);
        assertThat(reopened.purgeExpired(T0 + TTL.toMillis() + 1000, 1000)).isEqualTo(50);
        assertThat(entries()).isZero();
    }

    @Test
    void aStoreWrittenByTheEarlierLayout_recordAndIndexEntry_isReadAndPurgedWhole() {
        // bytes an earlier version (format 1 records, index entries stored beside them) wrote: a
        // placed order's response under acme/o-1 k1 (see LegacyLayout)
        stateStore.put(Bytes.wrap(LegacyLayout.RECORD_KEY), LegacyLayout.RECORD_VALUE);
        stateStore.put(Bytes.wrap(LegacyLayout.INDEX_KEY), new byte[0]);
        IdempotencyStore opened = IdempotencyStores.open(stateStore, new IdempotencyPolicy(TTL));

        Lookup lookup = opened.lookup("acme/o-1", "k1", "fp1", LegacyLayout.EXPIRES_AT - 1);
        assertThat(lookup).isInstanceOf(Lookup.Replay.class);
        IdempotencyRecord record = ((Lookup.Replay) lookup).record();
        assertThat(record.response().status()).isEqualTo(201);
        assertThat(record.response().headers()).containsEntry("Order-Stream-Outcome", "APPLIED");
        assertThat(new String(record.response().body(), StandardCharsets.UTF_8)).startsWith("{\"orderId\":\"o-1\"");
        assertThat(opened.lookup("acme/o-1", "k1", "other", LegacyLayout.EXPIRES_AT - 1))
                .isInstanceOf(Lookup.Mismatch.class);

        assertThat(opened.purgeExpired(LegacyLayout.EXPIRES_AT - 1, 100)).isZero();
        assertThat(entries()).isEqualTo(2);
        assertThat(opened.purgeExpired(LegacyLayout.EXPIRES_AT, 100)).isEqualTo(2);
        assertThat(entries()).isZero();
    }

    /** Exactly how many entries the state store holds. */
    private long entries() {
        long count = 0;
        try (var all = stateStore.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private static StoredResponse response(String text) {
        return new StoredResponse(201, Map.of("Content-Type", "application/json", "Location", "/orders/1"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void largeBodies_areStoredCompressed_andComeBackIdentical() {
        byte[] body = ("{\"lines\":[" + "{\"sku\":\"SKU-123\",\"quantity\":1,\"unitPriceMinor\":999},".repeat(200)
                + "{}]}").getBytes(StandardCharsets.UTF_8);
        StoredResponse large = new StoredResponse(200, Map.of("Content-Type", "application/json"), body);

        store.remember("acme/o-1", "big", "fp", large, T0);
        store.remember("acme/o-2", "small", "fp", response("tiny"), T0);

        assertThat(((Lookup.Replay) store.lookup("acme/o-1", "big", "fp", T0)).record().response()).isEqualTo(large);
        assertThat(((Lookup.Replay) store.lookup("acme/o-2", "small", "fp", T0)).record().response())
                .isEqualTo(response("tiny"));
        long storedBytes = 0;
        try (var all = stateStore.all()) {
            while (all.hasNext()) {
                storedBytes += all.next().value.length;
            }
        }
        assertThat(storedBytes).as("the 12 KB body is kept compressed").isLessThan(body.length / 4);
    }

    @Test
    void aResponseOverTheBound_isRefusedWithAClearError_andNothingIsStored() {
        IdempotencyStore bounded = IdempotencyStores.open(stateStore, new IdempotencyPolicy(TTL, 1024, 4096));
        StoredResponse huge = new StoredResponse(200, Map.of(), new byte[5000]);

        assertThatThrownBy(() -> bounded.remember("acme/o-1", "k", "fp", huge, T0))
                .isInstanceOf(ResponseTooLargeException.class).hasMessageContaining("exceeds")
                .hasMessageContaining("4096");
        assertThat(bounded.lookup("acme/o-1", "k", "fp", T0)).isEqualTo(new Lookup.New(false));
    }

    @Test
    void listener_hearsEveryOutcomeAndPurge() {
        List<String> heard = new ArrayList<>();
        IdempotencyStore observed = IdempotencyStores.open(stateStore, new IdempotencyPolicy(TTL),
                new IdempotencyListener() {
                    @Override
                    public void lookedUp(String scope, Lookup outcome, long nanos) {
                        assertThat(nanos).isNotNegative();
                        heard.add(scope + ":" + outcome.getClass().getSimpleName()
                                + (outcome instanceof Lookup.New n && n.expired() ? "(expired)" : ""));
                    }

                    @Override
                    public void purged(int expired) {
                        heard.add("purged:" + expired);
                    }
                });

        observed.lookup("acme/o-1", "k", "fp", T0);
        observed.remember("acme/o-1", "k", "fp", response("r"), T0);
        observed.lookup("acme/o-1", "k", "fp", T0 + 1);
        observed.lookup("acme/o-1", "k", "other", T0 + 2);
        observed.lookup("acme/o-1", "k", "fp", T0 + TTL.toMillis());
        observed.purgeExpired(T0 + TTL.toMillis(), 10);

        assertThat(heard).containsExactly("acme/o-1:New", "acme/o-1:Replay", "acme/o-1:Mismatch",
                "acme/o-1:New(expired)", "purged:1");
        assertThat(observed.approximateKeys()).isZero();
    }
}
