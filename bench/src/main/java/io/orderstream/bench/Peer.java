package io.orderstream.bench;

import java.time.Duration;

/**
 * One system of the side-by-side run, Order Stream or a peer: {@link SideBySide} starts each in
 * turn and drives every one through the same steps (warm-up, the fixed rates, the closed loop),
 * measuring the processes each names here beside the shared broker, PostgreSQL and load driver.
 */
public interface Peer extends AutoCloseable {

    /** Its name in the report. */
    String system();

    /** Adds its own processes (those not shared by every system) to a step's watch. */
    void watch(ResourceWatch watch);

    /** Load before the measured steps, so JIT compilers and caches are warm (not reported). */
    void warmUp(Duration duration) throws Exception;

    /** Whether it takes the fixed-rate steps (a variant measured in the closed loop only does not). */
    default boolean paced() {
        return true;
    }

    /** Open loop: {@code rate} requests per second for {@code duration}, latency from when each was due. */
    Measurement open(int rate, Duration duration) throws Exception;

    /** Closed loop: {@code clients} requests in flight for {@code duration}. */
    Measurement closed(int clients, Duration duration) throws Exception;

    /** Between steps: until what the last step sent has been taken, so no step inherits a backlog. */
    default void settle() throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
