package io.orderstream.idempotency.bench;

import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.idempotency.IdempotencyStore;
import io.orderstream.idempotency.IdempotencyStores;
import io.orderstream.idempotency.Lookup;
import io.orderstream.idempotency.StoredResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookup and insert latency of the persistent (RocksDB) idempotency store holding {@code records}
 * keys, as the processor uses it: scope {@code tenant/orderId}, a key, a 64-hex fingerprint, and a
 * stored order response of about 300 bytes. Sample-time mode, so JMH reports p50/p99/p99.9.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl idempotency-bench -am
 * java -jar idempotency-bench/target/idempotency-benchmarks.jar -p records=1000000,10000000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class IdempotencyStoreBenchmark {

    private static final long T0 = 1_800_000_000_000L;
    private static final String FINGERPRINT = BenchStores.FINGERPRINT;

    @Param({"1000000"})
    public int records;

    private Path stateDir;
    private KeyValueStore<Bytes, byte[]> stateStore;
    private IdempotencyStore store;
    private StoredResponse response;
    private SplittableRandom random;
    private long inserted;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        stateDir = Files.createTempDirectory("idempotency-bench-");
        stateStore = BenchStores.persistent(stateDir);
        store = IdempotencyStores.open(stateStore, IdempotencyPolicy.defaults());
        response = BenchStores.ORDER_RESPONSE;
        for (int i = 0; i < records; i++) {
            store.remember(scope(i), key(i), FINGERPRINT, response, T0 + i);
            if (i % 100_000 == 0) {
                stateStore.flush();
            }
        }
        stateStore.flush();
        random = new SplittableRandom(42);
        inserted = records;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        stateStore.close();
        BenchStores.delete(stateDir);
    }

    /** A duplicate: the key is there, the stored response comes back. */
    @Benchmark
    public Lookup lookupHit() {
        int i = random.nextInt(records);
        return store.lookup(scope(i), key(i), FINGERPRINT, T0 + records);
    }

    /** A new request: the key is not there. */
    @Benchmark
    public Lookup lookupMiss() {
        int i = random.nextInt(records);
        return store.lookup(scope(i), "unknown-" + i, FINGERPRINT, T0 + records);
    }

    /** Remembering a new key's response (record and expiry index entry). */
    @Benchmark
    public Object insert() {
        long i = inserted++;
        return store.remember("tenant-" + (i % 50) + "/order-" + i, "key-" + i, FINGERPRINT, response, T0 + i);
    }

    private static String scope(int i) {
        return "tenant-" + (i % 50) + "/order-" + i;
    }

    private static String key(int i) {
        return "checkout-" + i;
    }
}
