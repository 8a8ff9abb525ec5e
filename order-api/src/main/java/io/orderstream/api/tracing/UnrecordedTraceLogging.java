package io.orderstream.api.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.slf4j.MDC;

/**
 * The log correlation of an unrecorded request: while its observation is in scope, its log lines
 * carry its trace id and this hop's span id under the MDC keys Micrometer Tracing uses for a
 * recorded one ({@code traceId}, {@code spanId}), which the log pattern prints.
 */
final class UnrecordedTraceLogging implements ObservationHandler<Observation.Context> {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";

    private final TraceSampling sampling;

    UnrecordedTraceLogging(TraceSampling sampling) {
        this.sampling = sampling;
    }

    /** The request's own observation only: the ids are the request's, the same in its children. */
    @Override
    public boolean supportsContext(Observation.Context context) {
        return context.getParentObservation() == null && !sampling.of(context).recorded();
    }

    @Override
    public void onScopeOpened(Observation.Context context) {
        RequestTrace trace = sampling.of(context);
        MDC.put(TRACE_ID, trace.hop().traceId());
        MDC.put(SPAN_ID, trace.hop().spanId());
    }

    @Override
    public void onScopeClosed(Observation.Context context) {
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }

    @Override
    public void onScopeReset(Observation.Context context) {
        onScopeClosed(context);
    }
}
