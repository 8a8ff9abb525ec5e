package io.orderstream.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The schedule of an open-loop step, shared by every driver that paces its own requests (HTTP,
 * Kafka, Redis): the i-th request is due at {@code start + i / rate}, whatever became of the ones
 * before it. A driver measures each latency from {@link #due(long)}, not from when it got round to
 * sending, so a stall anywhere (the system, the network, the driver) shows in full
 * (coordinated-omission correction).
 */
public final class Pacer {

    private final long start;
    private final long intervalNanos;
    private final long total;

    /** @param rate requests per second; {@code rate × duration} requests in all */
    public Pacer(int rate, Duration duration) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        this.intervalNanos = 1_000_000_000L / rate;
        this.total = rate * Math.max(1, duration.toSeconds());
        this.start = System.nanoTime();
    }

    /** How many requests the step sends. */
    public long total() {
        return total;
    }

    public long start() {
        return start;
    }

    /** When the i-th request is due, in {@link System#nanoTime()} terms. */
    public long due(long i) {
        return start + i * intervalNanos;
    }

    /**
     * Parks until the i-th request is due and returns its due time. Several due at once (the
     * thread woke late) come back without parking, each with its own due time. Not
     * {@code Thread.sleep}: on Java 17 it rounds any nanoseconds up to a whole millisecond, a
     * millisecond of send lag at 1,000/s that would be reported as the system's latency.
     */
    public long awaitDue(long i) throws InterruptedException {
        long due = due(i);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return due;
    }
}
