package io.orderstream.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.util.concurrent.TimeUnit;

/**
 * End-to-end command latency (HTTP → Kafka Streams, exactly_once_v2 → result → HTTP) against the
 * Streams {@code commit.interval.ms} and requested commits ({@code orders.commits.request-spacing}):
 * for each setting a fresh local deployment (the services in one JVM, as {@code ./run-local.sh}
 * runs them), a warm-up, then lone commands on the idle stack (new orders one at a time, five a
 * second, then the same requests again: duplicates of completed requests, which the API's near cache
 * answers), with the API's share of a lone new command from its {@code orders.api.command.stage}
 * timers, then open-loop load at a fixed rate of new orders.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl bench -am
 * java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar [rate=200] [seconds=20] [warmup=30] \
 *     [configs=25,25:5ms,10,100]          (commit.interval.ms, and :spacing for requested commits)
 *     [streams.PROPERTY=VALUE ...]      (any further Kafka Streams property, e.g. streams.producer.linger.ms=0)
 * </pre>
 */
public final class CommitIntervalProbe {

    private CommitIntervalProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(arg(args, "rate", "200"));
        int seconds = Integer.parseInt(arg(args, "seconds", "20"));
        int warmup = Integer.parseInt(arg(args, "warmup", "30"));
        List<String> configs = new ArrayList<>();
        for (String config : arg(args, "configs", arg(args, "intervals", "25,25:5ms,10,100")).split(",")) {
            configs.add(config.trim());
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
        for (String config : configs) {
            String[] parts = config.split(":", 2);
            int interval = Integer.parseInt(parts[0]);
            String spacing = parts.length > 1 ? parts[1] : "";
            String label = String.format("commit.interval.ms=%d, request spacing %s", interval,
                    spacing.isEmpty() ? "off" : spacing);
            for (String line : measure(label, interval, spacing, rate, seconds, warmup, streams)) {
                String text = label + "  " + line;
                System.out.println(text);
                lines.add(text);
            }
        }
        System.out.println();
        System.out.printf("%d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        lines.forEach(System.out::println);
        System.exit(0);
    }

    private static List<String> measure(String label, int commitIntervalMs, String spacing, int rate, int seconds,
            int warmup, Map<String, String> streamsProperties) throws Exception {
        Map<String, String> extra = new java.util.LinkedHashMap<>(streamsProperties);
        extra.put("spring.kafka.streams.properties[commit.interval.ms]", Integer.toString(commitIntervalMs));
        if (!spacing.isEmpty()) {
            extra.put("orders.commits.request-spacing", spacing);
        }
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
            MeterRegistry meters = services.api().getBean(MeterRegistry.class);
            List<String> lines = new ArrayList<>();
            try (HttpLoad http = new HttpLoad(base, 256)) {
                http.open(label + " warm-up", Math.max(1, rate / 2), Duration.ofSeconds(warmup), Duration.ofSeconds(30),
                        () -> placeOrder(base, token, "warm-" + run + next.incrementAndGet()));
                // lone commands: five a second, each answered long before the next is due
                List<HttpLoad.Call> lone = new ArrayList<>();
                double[] before = stages(meters);
                HttpLoad.Result fresh = http.open(label + " lone new", 5, Duration.ofSeconds(20), Duration.ofSeconds(10),
                        () -> {
                            HttpLoad.Call call = placeOrder(base, token, "lone-" + run + "-" + next.incrementAndGet());
                            lone.add(call);
                            return call;
                        });
                double[] after = stages(meters);
                java.util.Iterator<HttpLoad.Call> again = lone.iterator();
                HttpLoad.Result duplicates = http.open(label + " lone duplicate", 5, Duration.ofSeconds(20),
                        Duration.ofSeconds(10), () -> again.hasNext() ? again.next() : lone.get(0));
                lines.add("lone new        " + fresh.summary());
                double answer = (after[0] - before[0]) / Math.max(1, after[1] - before[1]);
                double result = (after[2] - before[2]) / Math.max(1, after[3] - before[3]);
                lines.add(String.format("lone new, the API's timers (means): answer %.2f ms, of which result %.2f ms "
                        + "(the processor and its commit); the rest, %.2f ms, is the API and the send to the broker", answer,
                        result, answer - result));
                lines.add("lone duplicate  " + duplicates.summary());
                lines.add(String.format("%,d/s           ", rate) + http.open(label + " " + rate + "/s", rate,
                        Duration.ofSeconds(seconds), Duration.ofSeconds(30),
                        () -> placeOrder(base, token, run + "-" + next.incrementAndGet())).summary());
            }
            return lines;
        }
    }

    /** The API's {@code answer} and {@code result} stage timers now: total ms and count of each. */
    private static double[] stages(MeterRegistry meters) {
        Timer answer = meters.find("orders.api.command.stage").tag("stage", "answer").timer();
        Timer result = meters.find("orders.api.command.stage").tag("stage", "result").timer();
        return new double[] {total(answer), count(answer), total(result), count(result)};
    }

    private static double total(Timer timer) {
        return timer == null ? 0 : timer.totalTime(TimeUnit.MILLISECONDS);
    }

    private static double count(Timer timer) {
        return timer == null ? 0 : timer.count();
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
