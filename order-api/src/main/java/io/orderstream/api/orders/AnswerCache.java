package io.orderstream.api.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderstream.api.config.ApiProperties;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The near cache of stored answers: what the committed results this instance reads say about each
 * (tenant, order, idempotency key) — the request's fingerprint, the stored answer (the result's
 * value, as written) and until when the processor keeps the key. With it the API answers a
 * duplicate of a <em>completed</em> request itself, as the processor would: the same status and
 * body as a replay, or the 422 of a different request under the key.
 *
 * <p>An accelerator only: fed by committed results alone (the reader reads {@code read_committed}),
 * and only by those the processor stored under their key (the result header
 * {@code orders-key-expires-at} says so; {@code KEY_REUSED}, {@code FAILED} and {@code EXPIRED}
 * answers never carry it), each kept no longer than that expiry. Whatever it does not know goes to
 * the processor, which stays the source of truth; a request still in flight is not known here, so
 * concurrent duplicates meet at the processor as before. It starts empty.
 *
 * <p>Bounded by {@code orders.api.answer-cache.max-bytes}: each entry counts its value's bytes, its
 * keys and a fixed allowance for the objects around them; beyond the bound the oldest entries go
 * first. One thread writes (the result reader), any reads. Metrics: {@code orders.api.answer.cache}
 * ({@code result} = hit, miss), {@code orders.api.answer.cache.evictions},
 * {@code orders.api.answer.cache.size} and {@code .bytes}.
 */
@Component
class AnswerCache {

    /** Objects of an entry beside its arrays: map node, key and entry records, string headers. */
    static final int ENTRY_OVERHEAD = 256;

    record Key(String scope, String idempotencyKey) {
    }

    /**
     * @param value the result record's value, the stored answer as the processor wrote it
     */
    record Entry(Key key, String fingerprint, long expiresAtMs, byte[] value, int bytes) {
    }

    private final boolean enabled;
    private final long maxBytes;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    /** Oldest first; the writer's own. An entry replaced meanwhile is skipped when it comes up. */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private volatile long bytes;
    private final Counter hits;
    private final Counter misses;
    private final Counter mismatches;
    private final Counter evictions;

    @Autowired
    AnswerCache(ApiProperties properties, ObjectProvider<MeterRegistry> registry) {
        this(properties.api().answerCache().enabled(), properties.api().answerCache().maxBytes().toBytes(),
                registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    AnswerCache(boolean enabled, long maxBytes, MeterRegistry registry) {
        this.enabled = enabled && maxBytes > 0;
        this.maxBytes = maxBytes;
        this.hits = Counter.builder("orders.api.answer.cache").tag("result", "hit")
                .description("duplicates answered by the API's near cache (hit) or sent to the processor (miss)")
                .register(registry);
        this.misses = Counter.builder("orders.api.answer.cache").tag("result", "miss")
                .description("duplicates answered by the API's near cache (hit) or sent to the processor (miss)")
                .register(registry);
        this.mismatches = Counter.builder("orders.api.answer.cache.mismatches")
                .description("hits of a key whose stored answer belongs to another request: answered 422")
                .register(registry);
        this.evictions = Counter.builder("orders.api.answer.cache.evictions")
                .description("stored answers dropped from the near cache to keep it within its bound, or expired")
                .register(registry);
        Gauge.builder("orders.api.answer.cache.size", entries, ConcurrentHashMap::size)
                .description("stored answers in the near cache").register(registry);
        Gauge.builder("orders.api.answer.cache.bytes", this, cache -> cache.bytes)
                .description("bytes the near cache counts against orders.api.answer-cache.max-bytes").register(registry);
    }

    /** The stored answer for the key, if known and not expired at {@code nowMs}; counts a hit or a miss. */
    Entry find(String scope, String idempotencyKey, long nowMs) {
        if (!enabled) {
            return null;
        }
        Entry entry = entries.get(new Key(scope, idempotencyKey));
        if (entry == null || entry.expiresAtMs() <= nowMs) {
            misses.increment();
            return null;
        }
        hits.increment();
        return entry;
    }

    /** Counts a hit whose stored answer is another request's (answered 422 by the caller). */
    void countMismatch() {
        mismatches.increment();
    }

    /** Remembers a stored answer; the result reader's thread only. */
    void put(String scope, String idempotencyKey, String fingerprint, long expiresAtMs, byte[] value, long nowMs) {
        if (!enabled || expiresAtMs <= nowMs) {
            return;
        }
        Key key = new Key(scope, idempotencyKey);
        Entry known = entries.get(key);
        if (known != null && known.expiresAtMs() == expiresAtMs && known.fingerprint().equals(fingerprint)) {
            return; // a replay of what is known: the stored answer did not change
        }
        int size = value.length + 2 * (scope.length() + idempotencyKey.length() + fingerprint.length()) + ENTRY_OVERHEAD;
        if (size > maxBytes) {
            return;
        }
        Entry entry = new Entry(key, fingerprint, expiresAtMs, value, size);
        Entry replaced = entries.put(key, entry);
        long total = bytes + size - (replaced == null ? 0 : replaced.bytes());
        order.addLast(entry);
        // the oldest first, and any expired one at the head on the way
        Entry oldest;
        while ((oldest = order.peekFirst()) != null
                && (total > maxBytes || oldest.expiresAtMs() <= nowMs || order.size() > 2 * entries.size() + 16)) {
            order.pollFirst();
            if (entries.remove(oldest.key(), oldest)) {
                total -= oldest.bytes();
                evictions.increment();
            }
        }
        bytes = total;
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }
}
