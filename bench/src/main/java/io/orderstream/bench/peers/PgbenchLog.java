package io.orderstream.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * What pgbench's per-transaction logs ({@code -l}) say about a run. pgbench 15 writes one line per
 * transaction, one file per thread ({@code PREFIX.PID}, {@code PREFIX.PID.1}, ...):
 *
 * <pre>client_id transaction_no time script_no time_epoch time_us [schedule_lag] [retries]</pre>
 *
 * {@code time} is the latency in microseconds, or {@code failed} (a serialization or deadlock error,
 * counted, not retried with the default {@code --max-tries=1}) or {@code skipped} (only with
 * {@code --latency-limit}, which we don't use). {@code schedule_lag} is there only with {@code --rate}.
 *
 * <p>With {@code --rate}, {@code time} runs from the transaction's <em>scheduled</em> start, so it
 * already includes the schedule lag (the same coordinated-omission correction as our open-loop
 * driver). Checked on pgbench 15.18 against PostgreSQL 17: the mean of the logged times equals
 * pgbench's own printed {@code latency average} (1.803 ms both, with a schedule-lag average of
 * 0.198 ms), {@code time >= schedule_lag} on every line, and the line with the largest lag
 * (13.3 ms) logged a time of 15.0 ms while transactions took 1.6 ms on average. No lag needs adding.
 *
 * @param latencyMicros latencies of the completed transactions, in microseconds
 */
record PgbenchLog(long completed, long failed, long skipped, Histogram latencyMicros, double meanMs) {

    private static final Pattern LATENCY_AVERAGE = Pattern.compile("(?m)^latency average = ([0-9.]+) ms");

    /** Reads every thread's log file of one run: the files in {@code dir} named {@code prefix.PID[.N]}. */
    static PgbenchLog read(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            Pattern name = Pattern.compile(Pattern.quote(prefix) + "\\.\\d+(\\.\\d+)?");
            List<Path> logs = files.filter(f -> name.matcher(f.getFileName().toString()).matches()).sorted().toList();
            if (logs.isEmpty()) {
                throw new IllegalStateException("pgbench wrote no log " + dir.resolve(prefix) + ".PID");
            }
            return parse(logs.stream().flatMap(PgbenchLog::lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts and records one run's log lines. */
    static PgbenchLog parse(Stream<String> lines) {
        Histogram histogram = new Histogram(3);
        long[] counts = new long[2]; // failed, skipped
        double[] sum = new double[1];
        lines.filter(line -> !line.isBlank()).forEach(line -> {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 6) {
                throw new IllegalArgumentException("not a pgbench log line: " + line);
            }
            switch (fields[2]) {
                case "failed" -> counts[0]++;
                case "skipped" -> counts[1]++;
                default -> {
                    long micros = Long.parseLong(fields[2]);
                    histogram.recordValue(Math.max(1, micros));
                    sum[0] += micros;
                }
            }
        });
        long completed = histogram.getTotalCount();
        return new PgbenchLog(completed, counts[0], counts[1], histogram,
                completed == 0 ? Double.NaN : sum[0] / completed / 1000.0);
    }

    /** The latency at {@code percentile} (0-100) in milliseconds, NaN when nothing completed. */
    double ms(double percentile) {
        return completed == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    /** pgbench's printed {@code latency average = X ms} (over the transactions that did not fail). */
    static OptionalDouble printedLatencyAverageMs(String pgbenchOutput) {
        Matcher m = LATENCY_AVERAGE.matcher(pgbenchOutput);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
