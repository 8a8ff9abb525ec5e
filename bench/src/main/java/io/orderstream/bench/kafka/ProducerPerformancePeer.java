package io.orderstream.bench.kafka;

import io.orderstream.bench.Measurement;
import io.orderstream.bench.Peer;
import io.orderstream.bench.Progress;
import io.orderstream.bench.ResourceWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code ProducerPerformance} (from kafka-tools), transactional, committing every
 * commit interval: how fast this broker takes records under transactions, the physical limit of
 * the design. Run in its own JVM; its figures are its own: latency from send to acknowledgement,
 * not corrected for coordinated omission, and not including the commit that makes a record visible.
 */
public final class ProducerPerformancePeer implements Peer {

    public static final String SYSTEM = "Kafka ProducerPerformance (transactional)";
    // "100000 records sent, 9998.0 records/sec (2.86 MB/sec), 3.21 ms avg latency, 210.00 ms max latency,
    //  2 ms 50th, 5 ms 95th, 12 ms 99th, 150 ms 99.9th."
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec .*?"
            + "([\\d.]+) ms 50th, ([\\d.]+) ms 95th, ([\\d.]+) ms 99th, ([\\d.]+) ms 99.9th");

    private final String bootstrap;
    private final String classPath;
    private final Path workDir;
    private final int commitIntervalMs;
    private int runs;

    /** @param classPath kafka-tools and kafka-clients */
    public ProducerPerformancePeer(String bootstrap, String classPath, Path workDir, int commitIntervalMs) {
        this.bootstrap = bootstrap;
        this.classPath = classPath;
        this.workDir = workDir;
        this.commitIntervalMs = commitIntervalMs;
        KafkaRoundTrip.createTopics(bootstrap, List.of("bench-producer-performance"), 6);
    }

    @Override
    public String system() {
        return SYSTEM;
    }

    /** The tool is a child of the bench's JVM, measured with the load driver; the broker is shared. */
    @Override
    public void watch(ResourceWatch watch) {
    }

    /** Each run is a JVM of its own, warm or not: nothing to warm. */
    @Override
    public void warmUp(Duration duration) {
    }

    @Override
    public Measurement open(int rate, Duration duration) throws IOException, InterruptedException {
        return run(rate, rate * Math.max(1, duration.toSeconds()));
    }

    /** As fast as it goes, 50,000 records for each second of the step (it counts records, not time). */
    @Override
    public Measurement closed(int clients, Duration duration) throws IOException, InterruptedException {
        return run(0, 50_000L * Math.max(1, duration.toSeconds()));
    }

    /** {@code records} records at {@code rate} per second, or as fast as it goes when rate is 0. */
    public Measurement run(int rate, long records) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", classPath, "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "bench-producer-performance", "--num-records", Long.toString(records),
                "--record-size", Integer.toString(KafkaRoundTrip.RECORD_BYTES),
                "--throughput", rate > 0 ? Integer.toString(rate) : "-1",
                "--transactional-id", "bench-producer-performance-" + (++runs),
                "--transaction-duration-ms", Integer.toString(commitIntervalMs),
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "linger.ms=1"));
        Path log = workDir.resolve("producer-performance-" + runs + ".log");
        Files.createDirectories(workDir);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Progress progress = Progress.elapsed(SYSTEM + (rate > 0 ? " " + rate + "/s" : " as fast as it goes"))) {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("ProducerPerformance did not finish; see " + log);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(log);
        return parse(output, rate, seconds).orElseThrow(() -> new IllegalStateException(
                "ProducerPerformance printed no summary (exit " + process.exitValue() + "); see " + log));
    }

    static java.util.Optional<Measurement> parse(String output, int rate, double wallSeconds) {
        Matcher m = SUMMARY.matcher(output);
        String[] last = null;
        while (m.find()) { // the final summary follows the progress lines
            last = new String[] {m.group(1), m.group(2), m.group(3), m.group(5), m.group(6)};
        }
        if (last == null) {
            return java.util.Optional.empty();
        }
        long sent = Long.parseLong(last[0]);
        double perSecond = Double.parseDouble(last[1]);
        double seconds = perSecond > 0 ? sent / perSecond : wallSeconds;
        return java.util.Optional.of(new Measurement(SYSTEM, rate, 0, sent, 0, seconds, Double.parseDouble(last[2]),
                Double.parseDouble(last[3]), Double.parseDouble(last[4]),
                "its own tool: send to ack, whole ms, no CO correction"));
    }
}
