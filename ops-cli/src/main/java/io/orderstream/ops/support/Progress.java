package io.orderstream.ops.support;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress of a long step on stderr: done/total, records per second and the time left, at most one
 * line every two seconds, then one closing line. Not thread-safe: one thread advances it.
 */
public final class Progress {

    private static final long EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final PrintWriter err;
    private final String step;
    private final long startedAt = System.nanoTime();
    private long total;
    private long done;
    private long printedAt = startedAt;

    private Progress(PrintWriter err, String step, long total) {
        this.err = err;
        this.step = step;
        this.total = total;
    }

    /** @param total how many records to expect, or 0 when unknown */
    public static Progress start(PrintWriter err, String step, long total) {
        return new Progress(err, step, total);
    }

    public void advance(long records) {
        done += records;
        long now = System.nanoTime();
        if (now - printedAt >= EVERY_NANOS) {
            printedAt = now;
            err.println(line());
            err.flush();
        }
    }

    /** Prints the closing line and returns the records per second achieved. */
    public long finish() {
        double seconds = seconds();
        long rate = rate();
        err.printf("%s: %,d records in %.1f s (%,d records/s)%n", step, done, seconds, rate);
        err.flush();
        return rate;
    }

    public long done() {
        return done;
    }

    public double seconds() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    public long rate() {
        double seconds = seconds();
        return seconds <= 0 ? 0 : Math.round(done / seconds);
    }

    String line() {
        long rate = rate();
        if (total <= 0) {
            return String.format("%s: %,d records, %,d records/s", step, done, rate);
        }
        long percent = Math.min(100, done * 100 / total);
        String eta = rate <= 0 ? "?" : formatSeconds(Math.max(0, total - done) / rate);
        return String.format("%s: %,d/%,d (%d%%), %,d records/s, ETA %s", step, done, total, percent, rate, eta);
    }

    static String formatSeconds(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
