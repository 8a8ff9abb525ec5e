package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

    private static final long NOW = 1_000_000L;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void knownKey_isFound_untilItsExpiry_andNotAfter() {
        AnswerCache cache = new AnswerCache(true, 1 << 20, registry);
        cache.put("acme/o-1", "k-1", "fp", NOW + 100, value(10), NOW);

        assertThat(cache.find("acme/o-1", "k-1", NOW + 99)).isNotNull()
                .satisfies(entry -> assertThat(entry.fingerprint()).isEqualTo("fp"));
        assertThat(cache.find("acme/o-1", "k-1", NOW + 100)).isNull();
        assertThat(registry.get("orders.api.answer.cache").tag("result", "hit").counter().count()).isEqualTo(1);
        assertThat(registry.get("orders.api.answer.cache").tag("result", "miss").counter().count()).isEqualTo(1);
    }

    @Test
    void keysOfOtherTenantsOrOrders_neverMeet() {
        AnswerCache cache = new AnswerCache(true, 1 << 20, registry);
        cache.put("acme/o-1", "k-1", "fp", NOW + 100, value(10), NOW);

        assertThat(cache.find("globex/o-1", "k-1", NOW)).isNull();
        assertThat(cache.find("acme/o-2", "k-1", NOW)).isNull();
        assertThat(cache.find("acme/o-1", "k-2", NOW)).isNull();
    }

    @Test
    void anAnswerAlreadyExpired_isNotKept() {
        AnswerCache cache = new AnswerCache(true, 1 << 20, registry);
        cache.put("acme/o-1", "k-1", "fp", NOW, value(10), NOW);

        assertThat(cache.size()).isZero();
    }

    @Test
    void manyDistinctKeys_stayWithinTheBound_theOldestGoFirst() {
        long bound = 64 * 1024;
        AnswerCache cache = new AnswerCache(true, bound, registry);
        for (int i = 0; i < 10_000; i++) {
            cache.put("acme/o-" + i, "k-" + i, "f".repeat(64), NOW + 3_600_000, value(500), NOW);
            assertThat(cache.bytes()).isLessThanOrEqualTo(bound);
        }
        assertThat(cache.size()).isBetween(1, (int) (bound / 500));
        assertThat(cache.find("acme/o-9999", "k-9999", NOW)).isNotNull();
        assertThat(cache.find("acme/o-0", "k-0", NOW)).isNull();
        assertThat(registry.get("orders.api.answer.cache.evictions").counter().count())
                .isEqualTo(10_000 - cache.size());
        assertThat(registry.get("orders.api.answer.cache.size").gauge().value()).isEqualTo(cache.size());
    }

    @Test
    void theSameKeyAnsweredAgain_replacesItsEntry_andIsCountedOnce() {
        AnswerCache cache = new AnswerCache(true, 1 << 20, registry);
        cache.put("acme/o-1", "k-1", "fp-1", NOW + 100, value(10), NOW);
        long once = cache.bytes();
        cache.put("acme/o-1", "k-1", "fp-1", NOW + 100, value(10), NOW); // a replay: nothing new
        cache.put("acme/o-1", "k-1", "fp-2", NOW + 500, value(10), NOW + 200); // the key expired, used again

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(once);
        assertThat(cache.find("acme/o-1", "k-1", NOW + 300).fingerprint()).isEqualTo("fp-2");
    }

    @Test
    void disabled_knowsNothing() {
        AnswerCache cache = new AnswerCache(false, 1 << 20, registry);
        cache.put("acme/o-1", "k-1", "fp", NOW + 100, value(10), NOW);

        assertThat(cache.find("acme/o-1", "k-1", NOW)).isNull();
        assertThat(cache.size()).isZero();
    }

    private static byte[] value(int length) {
        byte[] value = new byte[length];
        Arrays.fill(value, (byte) 'x');
        return value;
    }
}
