package io.orderstream.processor.orders;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a command asks Kafka Streams to commit at once ({@code ProcessingContext.commit()}) rather
 * than wait for {@code commit.interval.ms}: when no command asked for the last {@code spacing}. A
 * lone command is then committed (and answered) as soon as it is processed, and under load commits
 * come at most once per spacing (plus the interval's), so their cost per command stays bounded:
 * Kafka Streams commits a requested commit after the loop iteration that asked, and then halves how
 * many records an iteration takes, so asking for every command would commit every few records.
 * Shared by the tasks of one topology: a requested commit commits every task of the stream thread.
 */
final class CommitRequests {

    /** Never asks: commits come with the interval only. */
    static final CommitRequests NEVER = new CommitRequests(Duration.ZERO);

    private final long spacingNanos;
    private final AtomicLong lastRequest = new AtomicLong(Long.MIN_VALUE / 2);

    CommitRequests(Duration spacing) {
        if (spacing.isNegative()) {
            throw new IllegalArgumentException("the spacing of requested commits must not be negative, was " + spacing);
        }
        this.spacingNanos = spacing.toNanos();
    }

    /** Whether the command processed at {@code nowNanos} ({@link System#nanoTime}) should ask for a commit. */
    boolean due(long nowNanos) {
        if (spacingNanos == 0) {
            return false;
        }
        long last = lastRequest.get();
        return nowNanos - last >= spacingNanos && lastRequest.compareAndSet(last, nowNanos);
    }

    boolean enabled() {
        return spacingNanos > 0;
    }
}
