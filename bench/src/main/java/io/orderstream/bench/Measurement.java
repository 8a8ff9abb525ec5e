package io.orderstream.bench;

/**
 * One system under one load: what it sustained and how long an answer took. Every driver of the
 * side-by-side run, ours and the peers' own tools, reports in this shape, so one table and one
 * chart hold them all.
 *
 * @param system      the system's name in the report, e.g. {@code "Order Stream"}
 * @param offeredRate requests per second offered by an open-loop step, or {@link #CLOSED_LOOP}
 * @param concurrency clients in a closed loop (connections or in-flight limit); 0 when not known
 * @param completed   requests answered with success within the step (replays of duplicates count)
 * @param errors      requests that failed, timed out or were never answered
 * @param seconds     how long the step ran, from its first send to its last answer or its deadline
 * @param p50Ms       latency percentiles in milliseconds; {@link Double#NaN} when the tool gives none
 * @param note        how the figures were taken when that differs from the others (empty if not)
 */
public record Measurement(String system, int offeredRate, int concurrency, long completed, long errors,
        double seconds, double p50Ms, double p99Ms, double p999Ms, String note) {

    /** {@link #offeredRate} of a closed-loop run: as fast as the clients go. */
    public static final int CLOSED_LOOP = 0;

    public boolean closedLoop() {
        return offeredRate == CLOSED_LOOP;
    }

    /** Successful answers per second. */
    public double throughput() {
        return seconds > 0 ? completed / seconds : 0;
    }
}
