package io.orderstream.idempotency.internals;

import io.orderstream.idempotency.IdempotencyListener;
import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.idempotency.IdempotencyRecord;
import io.orderstream.idempotency.IdempotencyStore;
import io.orderstream.idempotency.Lookup;
import io.orderstream.idempotency.ResponseTooLargeException;
import io.orderstream.idempotency.StoredResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Records and their expiry index in one key-value store, so both live in one changelog and commit
 * together.
 *
 * <pre>
 * record: 0x01 | id                       → see {@link RecordCodec}
 * index:  0x02 | expiresAt (8, big-endian) | id → (empty)
 * id:     scope length (4) | scope (UTF-8) | key (UTF-8)
 * </pre>
 *
 * Index keys sort by expiry, so expired records are found by one range scan that stops at "now".
 *
 * <p>Purging keeps up with any insert rate: each new key also removes up to {@link #PURGED_PER_NEW_KEY}
 * expired ones, so while anything has expired the store shrinks with every insert, whatever the
 * rate, and a periodic {@link #purgeExpired} only has to clear what expires while no keys arrive.
 * Each scan starts where the last one ended ({@code purgeFrom}): the index before it holds only
 * deleted entries, and RocksDB would otherwise step over their tombstones on every scan; and
 * before the next expiry no scan is made at all.
 */
public final class KeyValueIdempotencyStore implements IdempotencyStore {

    static final byte RECORD = 0x01;
    static final byte INDEX = 0x02;
    private static final byte[] EMPTY = new byte[0];
    /**
     * Expired keys removed with each new one: more than one, so a backlog (left by a pause, or by
     * a restart) drains while keys arrive; few, so a command's transaction grows by at most four
     * tombstones.
     */
    static final int PURGED_PER_NEW_KEY = 2;

    private final KeyValueStore<Bytes, byte[]> store;
    private final IdempotencyPolicy policy;
    private final IdempotencyListener listener;
    /** No index entry expires before this (kept in memory, 0 after a restart). */
    private long purgeFrom;

    public KeyValueIdempotencyStore(KeyValueStore<Bytes, byte[]> store, IdempotencyPolicy policy,
            IdempotencyListener listener) {
        this.store = store;
        this.policy = policy;
        this.listener = listener;
    }

    @Override
    public Lookup lookup(String scope, String key, String fingerprint, long nowMs) {
        long start = System.nanoTime();
        IdempotencyRecord stored = read(id(scope, key));
        Lookup outcome;
        if (stored == null || stored.isExpiredAt(nowMs)) {
            outcome = new Lookup.New(stored != null);
        } else if (stored.fingerprint().equals(fingerprint)) {
            outcome = new Lookup.Replay(stored);
        } else {
            outcome = new Lookup.Mismatch(stored);
        }
        listener.lookedUp(scope, outcome, System.nanoTime() - start);
        return outcome;
    }

    @Override
    public IdempotencyRecord remember(String scope, String key, String fingerprint, StoredResponse response,
            long nowMs) {
        int size = response.size();
        if (size > policy.maxResponseBytes()) {
            throw new ResponseTooLargeException(size, policy.maxResponseBytes());
        }
        byte[] id = id(scope, key);
        IdempotencyRecord record = new IdempotencyRecord(fingerprint, response, nowMs,
                Math.addExact(nowMs, policy.ttl().toMillis()));
        store.put(Bytes.wrap(prefixed(RECORD, id)), RecordCodec.encode(record, policy.compressAboveBytes()));
        store.put(Bytes.wrap(indexKey(record.expiresAtMs(), id)), EMPTY);
        // a clock set back by more than the TTL could index a key behind the scan's start
        purgeFrom = Math.min(purgeFrom, record.expiresAtMs());
        purgeExpired(nowMs, PURGED_PER_NEW_KEY);
        return record;
    }

    @Override
    public int purgeExpired(long nowMs, int max) {
        if (purgeFrom > nowMs) {
            return 0;
        }
        List<Bytes> visited = new ArrayList<>();
        // the scan reads one entry past what it removes: the next expiry, so that until then a
        // purge costs nothing (no iterator), however many keys arrive
        long next = Long.MAX_VALUE;
        try (KeyValueIterator<Bytes, byte[]> index = store.range(
                Bytes.wrap(indexKey(purgeFrom, EMPTY)), Bytes.wrap(indexKey(Long.MAX_VALUE, EMPTY)))) {
            while (index.hasNext()) {
                Bytes indexKey = index.next().key;
                long expiresAt = ByteBuffer.wrap(indexKey.get(), 1, 8).getLong();
                if (expiresAt > nowMs || visited.size() == max) {
                    next = expiresAt;
                    break;
                }
                visited.add(indexKey);
            }
        }
        for (Bytes indexKey : visited) {
            ByteBuffer buffer = ByteBuffer.wrap(indexKey.get());
            buffer.get();
            long expiresAt = buffer.getLong();
            byte[] id = new byte[buffer.remaining()];
            buffer.get(id);
            Bytes recordKey = Bytes.wrap(prefixed(RECORD, id));
            IdempotencyRecord current = read(id);
            // a key used again after it expired has a newer record: only its stale index entry goes
            if (current != null && current.expiresAtMs() == expiresAt) {
                store.delete(recordKey);
            }
            store.delete(indexKey);
        }
        // no index entry expires before the first one not removed (none left: MAX_VALUE)
        purgeFrom = next;
        if (!visited.isEmpty()) {
            listener.purged(visited.size());
        }
        return visited.size();
    }

    @Override
    public long approximateKeys() {
        // every record has one index entry (a reused expired key briefly has two)
        return store.approximateNumEntries() / 2;
    }

    @Override
    public IdempotencyPolicy policy() {
        return policy;
    }

    private IdempotencyRecord read(byte[] id) {
        byte[] value = store.get(Bytes.wrap(prefixed(RECORD, id)));
        return value == null ? null : RecordCodec.decode(value);
    }

    static byte[] id(String scope, String key) {
        byte[] scopeBytes = scope.getBytes(StandardCharsets.UTF_8);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + scopeBytes.length + keyBytes.length)
                .putInt(scopeBytes.length).put(scopeBytes).put(keyBytes).array();
    }

    private static byte[] prefixed(byte prefix, byte[] id) {
        return ByteBuffer.allocate(1 + id.length).put(prefix).put(id).array();
    }

    private static byte[] indexKey(long expiresAtMs, byte[] id) {
        return ByteBuffer.allocate(1 + 8 + id.length).put(INDEX).putLong(expiresAtMs).put(id).array();
    }
}
