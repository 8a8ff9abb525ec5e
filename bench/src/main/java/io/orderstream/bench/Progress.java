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

    /** Seconds between live lines. */
    static final int EVERY_SECONDS = 5;

    private final ScheduledExecutorService ticker;

    private Progress(String label, Supplier<String> live) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> System.out.println("bench:   " + label + " " + live.get()),
                EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
    }

    /** Prints {@code label} and what {@code live} says every {@value #EVERY_SECONDS} s until closed. */
    public static Progress every(String label, Supplier<String> live) {
        return new Progress(label, live);
    }

    /** For a step whose tool reports nothing until it ends: how long it has run. */
    public static Progress elapsed(String label) {
        long start = System.nanoTime();
        return new Progress(label, () -> String.format("%4.0f s", (System.nanoTime() - start) / 1e9));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
