package io.orderstream.idempotency.bench;

import io.orderstream.idempotency.IdempotencyStores;
import io.orderstream.idempotency.StoredResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The persistent store as the processor uses it, outside Kafka Streams, and what it stores. */
final class BenchStores {

    static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /**
     * A placed order's answer as the processor stores it (no headers; the body its format byte, the
     * outcome, then the order's JSON), about 280 bytes.
     */
    static final StoredResponse ORDER_RESPONSE = new StoredResponse(201, Map.of(), ("\u0001\u0007APPLIEDo"
            + "{\"orderId\":\"d25173c8-edb5-318e-a484-"
            + "d672d6dc71c8\",\"status\":\"PENDING\",\"version\":1,\"customerId\":\"c-42\",\"currency\":\"EUR\","
            + "\"totalMinor\":3998,\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPriceMinor\":1999}],"
            + "\"createdAt\":\"2026-11-26T12:02:12.972Z\",\"updatedAt\":\"2026-11-26T12:02:12.972Z\"}")
            .getBytes(StandardCharsets.UTF_8));

    private BenchStores() {
    }

    /** A RocksDB idempotency state store in {@code stateDir}, changelog off (nothing to send it to). */
    static KeyValueStore<Bytes, byte[]> persistent(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "idempotency-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        KeyValueStore<Bytes, byte[]> stateStore =
                IdempotencyStores.persistent("idempotency-records").withLoggingDisabled().build();
        stateStore.init(context.getStateStoreContext(), stateStore);
        return stateStore;
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
