package io.orderstream.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A short live line every few seconds while a step runs (rate, answered, errors), so a run of
 * half an hour never sits silent: {@code try (Progress p = Progress.every("…", () -> "…")) { … }}.
 */
public final class Progress implements AutoCloseable {

    /** Seconds between live lines of a step. */
    static final int EVERY_SECONDS = 5;
    /** Seconds between the lines of a wait that has nothing to count (a start, a tool's run). */
    static final int WAITING_SECONDS = 15;

    private final ScheduledExecutorService ticker;

    private Progress(String label, Supplier<String> live, int seconds) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> System.out.println("bench:   " + label + " " + live.get()),
                seconds, seconds, TimeUnit.SECONDS);
    }

    /** Prints {@code label} and what {@code live} says every {@value #EVERY_SECONDS} s until closed. */
    public static Progress every(String label, Supplier<String> live) {
        return new Progress(label, live, EVERY_SECONDS);
    }

    /** For a wait or a tool that reports nothing until it ends: how long it has run, every {@value #WAITING_SECONDS} s. */
    public static Progress elapsed(String label) {
        long start = System.nanoTime();
        return new Progress(label, () -> String.format("%4.0f s", (System.nanoTime() - start) / 1e9),
                WAITING_SECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
