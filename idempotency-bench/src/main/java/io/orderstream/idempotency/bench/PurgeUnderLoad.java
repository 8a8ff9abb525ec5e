package io.orderstream.idempotency.bench;

import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.idempotency.IdempotencyStore;
import io.orderstream.idempotency.IdempotencyStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Does the store stay bounded at the processor's top rate? New keys at {@code rate} a second, in
 * real time, for {@code seconds}, each expiring after {@code ttl} seconds, into the persistent
 * store; the periodic purge as it was before it ran on a time budget (at most 10,000 keys once a
 * minute), so what keeps the store bounded is the purge each new key does. Every 5 s it prints
 * how many keys the store holds (counted exactly) and how long the inserts of that window took.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl idempotency-bench -am
 * java -cp idempotency-bench/target/idempotency-benchmarks.jar io.orderstream.idempotency.bench.PurgeUnderLoad \
 *     rate=5000 seconds=60 ttl=10
 * </pre>
 */
public final class PurgeUnderLoad {

    private PurgeUnderLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair[1]);
        }
        int rate = Integer.parseInt(options.getOrDefault("rate", "5000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        Duration ttl = Duration.ofSeconds(Long.parseLong(options.getOrDefault("ttl", "10")));
        Path stateDir = Files.createTempDirectory("idempotency-purge-");
        KeyValueStore<Bytes, byte[]> stateStore = BenchStores.persistent(stateDir);
        IdempotencyStore store = IdempotencyStores.open(stateStore, new IdempotencyPolicy(ttl));
        System.out.printf("rate=%d/s seconds=%d ttl=%ds: keys within the TTL at most %d%n", rate, seconds,
                ttl.toSeconds(), rate * ttl.toSeconds());
        System.out.println("  t    inserted      keys   insert p50 / p99 / max (µs)");
        long start = System.nanoTime();
        long inserted = 0;
        long[] window = new long[rate * 5 + rate];
        int inWindow = 0;
        long nextReport = 5;
        long nextPurge = 60;
        long largest = 0;
        while (true) {
            long elapsedNanos = System.nanoTime() - start;
            if (elapsedNanos >= seconds * 1_000_000_000L) {
                break;
            }
            long due = elapsedNanos * rate / 1_000_000_000L;
            while (inserted < due) {
                long now = System.currentTimeMillis();
                long t0 = System.nanoTime();
                store.remember("tenant-" + (inserted % 50) + "/order-" + inserted, "key-" + inserted,
                        BenchStores.FINGERPRINT, BenchStores.ORDER_RESPONSE, now);
                if (inWindow < window.length) {
                    window[inWindow++] = System.nanoTime() - t0;
                }
                inserted++;
            }
            long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
            if (elapsedSeconds >= nextPurge) {
                store.purgeExpired(System.currentTimeMillis(), 10_000);
                nextPurge += 60;
            }
            if (elapsedSeconds >= nextReport) {
                long keys = records(stateStore);
                largest = Math.max(largest, keys);
                Arrays.sort(window, 0, inWindow);
                System.out.printf("%3ds %11d %9d   %6.1f / %6.1f / %8.1f%n", elapsedSeconds, inserted, keys,
                        window[inWindow / 2] / 1000.0, window[(int) (inWindow * 0.99)] / 1000.0,
                        window[inWindow - 1] / 1000.0);
                inWindow = 0;
                nextReport += 5;
            }
            // open loop: wait for the next keys to be due (about 5 at 5,000/s)
            Thread.sleep(1);
        }
        System.out.printf("largest: %d keys after %d inserted (%d within the TTL)%n", largest, inserted,
                rate * ttl.toSeconds());
        stateStore.close();
        BenchStores.delete(stateDir);
    }

    /** Records (not index entries) in the store, counted exactly: keys start with 0x01. */
    private static long records(KeyValueStore<Bytes, byte[]> stateStore) {
        long count = 0;
        try (var all = stateStore.all()) {
            while (all.hasNext()) {
                if (all.next().key.get()[0] == 0x01) {
                    count++;
                }
            }
        }
        return count;
    }
}
