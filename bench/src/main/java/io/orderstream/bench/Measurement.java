package io.orderstream.bench;

import java.util.Map;

/**
 * One system under one load: what it sustained and how long an answer took. Every driver of the
 * side-by-side run, ours and the peers' own tools, reports in this shape, so one table, one chart
 * and one JSON file hold them all.
 *
 * @param system      the system's name in the report, e.g. {@code "Order Stream"}
 * @param offeredRate requests per second offered by an open-loop step, or {@link #CLOSED_LOOP}
 * @param concurrency clients in a closed loop (connections or in-flight limit); 0 when not known
 * @param completed   requests answered with success within the step (replays of duplicates count)
 * @param errors      requests that failed, timed out or were never answered
 * @param seconds     how long the step ran, from its first send to its last answer or its deadline
 * @param p50Ms       latency percentiles in milliseconds; {@link Double#NaN} when the tool gives none
 * @param note        how the figures were taken when that differs from the others (empty if not)
 * @param errorKinds  the errors by kind ({@code "503 with Retry-After"}, {@code "no answer"}, …)
 */
public record Measurement(String system, int offeredRate, int concurrency, long completed, long errors,
        double seconds, double p50Ms, double p99Ms, double p999Ms, String note, Map<String, Long> errorKinds) {

    /** {@link #offeredRate} of a closed-loop run: as fast as the clients go. */
    public static final int CLOSED_LOOP = 0;

    public Measurement {
        errorKinds = Map.copyOf(errorKinds);
    }

    /** A tool that only counts its errors. */
    public Measurement(String system, int offeredRate, int concurrency, long completed, long errors, double seconds,
            double p50Ms, double p99Ms, double p999Ms, String note) {
        this(system, offeredRate, concurrency, completed, errors, seconds, p50Ms, p99Ms, p999Ms, note,
                errors == 0 ? Map.of() : Map.of("failed", errors));
    }

    /** An HTTP step of {@link HttpLoad}: 200 and 201 are successes, everything else an error. */
    public static Measurement of(String system, HttpLoad.Result result, String note) {
        long ok = result.ok();
        return new Measurement(system, result.offeredRate(), result.clients(), ok, result.sent() - ok,
                result.seconds(), result.ms(50), result.ms(99), result.ms(99.9), note, result.errors());
    }

    public boolean closedLoop() {
        return offeredRate == CLOSED_LOOP;
    }

    /** Successful answers per second. */
    public double throughput() {
        return seconds > 0 ? completed / seconds : 0;
    }
}
