package io.orderstream.bench;

import io.orderstream.local.DevTokens;
import io.orderstream.local.LocalKafka;
import io.orderstream.local.LocalPostgres;
import io.orderstream.local.Services;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * End-to-end command latency (HTTP → Kafka Streams, exactly_once_v2 → result → HTTP) against the
 * Streams {@code commit.interval.ms}: for each interval a fresh local deployment, a warm-up, then
 * open-loop load at a fixed rate of new orders.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl bench -am
 * java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar [rate=200] [seconds=20] [intervals=10,25,100] \
 *     [streams.PROPERTY=VALUE ...]      (any further Kafka Streams property, e.g. streams.producer.linger.ms=0)
 * </pre>
 */
public final class CommitIntervalProbe {

    private CommitIntervalProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(arg(args, "rate", "200"));
        int seconds = Integer.parseInt(arg(args, "seconds", "20"));
        List<Integer> intervals = new ArrayList<>();
        for (String interval : arg(args, "intervals", "10,25,100").split(",")) {
            intervals.add(Integer.parseInt(interval.trim()));
        }
        Map<String, String> streams = new java.util.LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("streams.") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                streams.put("spring.kafka.streams.properties[" + arg.substring("streams.".length(), eq) + "]",
                        arg.substring(eq + 1));
            }
        }
        List<String> lines = new ArrayList<>();
        for (int interval : intervals) {
            HttpLoad.Result result = measure(interval, rate, seconds, streams);
            String line = String.format("commit.interval.ms=%4d  %s", interval, result.summary());
            System.out.println(line);
            lines.add(line);
        }
        System.out.println();
        System.out.printf("%d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        lines.forEach(System.out::println);
        System.exit(0);
    }

    private static HttpLoad.Result measure(int commitIntervalMs, int rate, int seconds,
            Map<String, String> streamsProperties) throws Exception {
        Map<String, String> extra = new java.util.LinkedHashMap<>(streamsProperties);
        extra.put("spring.kafka.streams.properties[commit.interval.ms]", Integer.toString(commitIntervalMs));
        extra.put("logging.level.root", "WARN");
        extra.put("logging.level.org.apache.kafka.clients.producer.internals.Sender", "ERROR");
        Path work = Files.createTempDirectory("order-stream-probe-");
        String secret = "probe-secret-" + UUID.randomUUID();
        try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
                LocalPostgres postgres = LocalPostgres.start(0, null);
                Services services = Services.start(new Services.Settings(kafka.bootstrapServers(), postgres.jdbcUrl(),
                        LocalPostgres.USER, LocalPostgres.PASSWORD, secret, 0, 0, work.resolve("streams"), extra))) {
            URI base = URI.create("http://localhost:" + services.apiPort());
            String token = DevTokens.mint(secret, "bench", Duration.ofHours(1));
            String run = UUID.randomUUID().toString().substring(0, 8);
            java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
            try (HttpLoad http = new HttpLoad(base, 256)) {
                http.open("warm-up", Math.max(1, rate / 2), Duration.ofSeconds(5), Duration.ofSeconds(30),
                        () -> placeOrder(base, token, "warm-" + run + next.incrementAndGet()));
                return http.open("commit.interval.ms=" + commitIntervalMs, rate, Duration.ofSeconds(seconds),
                        Duration.ofSeconds(30), () -> placeOrder(base, token, run + "-" + next.incrementAndGet()));
            }
        }
    }

    static HttpLoad.Call placeOrder(URI base, String token, String key) {
        byte[] wire = HttpLoad.encode("POST", base, "/api/v1/orders", Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/json", "Idempotency-Key", key), "{\"customerId\":\"c-1\","
                + "\"currency\":\"EUR\",\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"unitPriceMinor\":100}]}");
        return () -> wire;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
