package io.orderstream.idempotency.bench;

import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.idempotency.IdempotencyStore;
import io.orderstream.idempotency.IdempotencyStores;
import io.orderstream.idempotency.Lookup;
import io.orderstream.idempotency.StoredResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
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
    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

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
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "idempotency-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        stateStore = IdempotencyStores.persistent("idempotency-records").withLoggingDisabled().build();
        stateStore.init(context.getStateStoreContext(), stateStore);
        store = IdempotencyStores.open(stateStore, IdempotencyPolicy.defaults());
        response = new StoredResponse(201, Map.of("Content-Type", "application/json", "Location",
                "/api/v1/orders/d25173c8-edb5-318e-a484-d672d6dc71c8"), ("{\"orderId\":\"d25173c8-edb5-318e-a484-"
                + "d672d6dc71c8\",\"status\":\"PENDING\",\"version\":1,\"customerId\":\"c-42\",\"currency\":\"EUR\","
                + "\"totalMinor\":3998,\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPriceMinor\":1999}],"
                + "\"createdAt\":\"2026-11-26T12:02:12.972Z\",\"updatedAt\":\"2026-11-26T12:02:12.972Z\"}")
                .getBytes(StandardCharsets.UTF_8));
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
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
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
