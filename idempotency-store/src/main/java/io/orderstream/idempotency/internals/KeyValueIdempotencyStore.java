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
import java.util.PriorityQueue;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Records in one key-value store, one entry (and so one changelog record) per key; the order in
 * which they expire is derived, not stored: an index in memory, built when the store is opened by
 * one scan of the (restored) state store and kept as keys are remembered.
 *
 * <pre>
 * record:        0x01 | id → see {@link RecordCodec}
 * legacy index:  0x02 | expiresAt (8, big-endian) | id → (empty); written by versions before the index
 *                moved to memory, never written now, removed when it expires (within one TTL)
 * id:            scope length (4) | scope (UTF-8) | key (UTF-8)
 * </pre>
 *
 * <p>Why in memory: a stored index doubled every write (a record and its index entry, then two
 * tombstones when it expired), each one a changelog record in the command's transaction. The
 * index costs instead, per live key, its expiry and its store key on the heap (about 100 bytes for
 * a 40-character scope and a UUID key), and one scan when a task is opened (after its restore,
 * which reads every entry anyway). A task that keeps tens of millions of keys should be split
 * into more partitions.
 *
 * <p>Purging keeps up with any insert rate: each new key also removes up to {@link #PURGED_PER_NEW_KEY}
 * expired ones, so while anything has expired the store shrinks with every insert, whatever the
 * rate, and a periodic {@link #purgeExpired} only has to clear what expires while no keys arrive.
 * The work is proportional to what expired: the index is ordered by expiry, and looking at what
 * has not expired costs one comparison.
 */
public final class KeyValueIdempotencyStore implements IdempotencyStore {

    static final byte RECORD = 0x01;
    static final byte LEGACY_INDEX = 0x02;
    /**
     * Expired keys removed with each new one: more than one, so a backlog (left by a pause, or by
     * a restart) drains while keys arrive; few, so a command's transaction grows by at most two
     * tombstones.
     */
    static final int PURGED_PER_NEW_KEY = 2;

    private final KeyValueStore<Bytes, byte[]> store;
    private final IdempotencyPolicy policy;
    private final IdempotencyListener listener;
    /** Every stored key (records, and legacy index entries) by when it expires, soonest first. */
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();
    /** The entries of {@link #expiries} that are records (a key reused after it expired counts until purged). */
    private long records;

    public KeyValueIdempotencyStore(KeyValueStore<Bytes, byte[]> store, IdempotencyPolicy policy,
            IdempotencyListener listener) {
        this.store = store;
        this.policy = policy;
        this.listener = listener;
        index();
    }

    /** One pass over the store: what it holds, by when it expires. */
    private void index() {
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                byte[] key = entry.key.get();
                if (key.length > 0 && key[0] == RECORD) {
                    expiries.add(new Expiry(RecordCodec.expiresAt(entry.value), entry.key, false));
                    records++;
                } else if (key.length >= 9 && key[0] == LEGACY_INDEX) {
                    expiries.add(new Expiry(ByteBuffer.wrap(key, 1, 8).getLong(), entry.key, true));
                }
            }
        }
    }

    @Override
    public Lookup lookup(String scope, String key, String fingerprint, long nowMs) {
        long start = System.nanoTime();
        IdempotencyRecord stored = read(recordKey(scope, key));
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
        Bytes recordKey = recordKey(scope, key);
        IdempotencyRecord record = new IdempotencyRecord(fingerprint, response, nowMs,
                Math.addExact(nowMs, policy.ttl().toMillis()));
        store.put(recordKey, RecordCodec.encode(record, policy.compressAboveBytes()));
        // a key used again after it expired keeps its earlier entry here too: the purge tells them
        // apart by the record's own expiry
        expiries.add(new Expiry(record.expiresAtMs(), recordKey, false));
        records++;
        purgeExpired(nowMs, PURGED_PER_NEW_KEY);
        return record;
    }

    @Override
    public int purgeExpired(long nowMs, int max) {
        int visited = 0;
        while (visited < max) {
            Expiry next = expiries.peek();
            if (next == null || next.expiresAtMs > nowMs) {
                break;
            }
            expiries.poll();
            visited++;
            if (next.legacy) {
                store.delete(next.key);
                continue;
            }
            records--;
            byte[] current = store.get(next.key);
            // a key used again after it expired has a newer record: only this stale entry goes
            if (current != null && RecordCodec.expiresAt(current) == next.expiresAtMs) {
                store.delete(next.key);
            }
        }
        if (visited > 0) {
            listener.purged(visited);
        }
        return visited;
    }

    @Override
    public long approximateKeys() {
        return records;
    }

    @Override
    public IdempotencyPolicy policy() {
        return policy;
    }

    private IdempotencyRecord read(Bytes recordKey) {
        byte[] value = store.get(recordKey);
        return value == null ? null : RecordCodec.decode(value);
    }

    static byte[] id(String scope, String key) {
        byte[] scopeBytes = scope.getBytes(StandardCharsets.UTF_8);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + scopeBytes.length + keyBytes.length)
                .putInt(scopeBytes.length).put(scopeBytes).put(keyBytes).array();
    }

    private static Bytes recordKey(String scope, String key) {
        byte[] id = id(scope, key);
        return Bytes.wrap(ByteBuffer.allocate(1 + id.length).put(RECORD).put(id).array());
    }

    /** A stored key and when it expires. */
    private record Expiry(long expiresAtMs, Bytes key, boolean legacy) implements Comparable<Expiry> {
        @Override
        public int compareTo(Expiry other) {
            return Long.compare(expiresAtMs, other.expiresAtMs);
        }
    }
}
