package io.orderstream.api.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import io.orderstream.events.Traceparent;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * The API's sampler: decides, once per request as it arrives, whether the request is recorded as
 * spans, before any span exists. A request that comes with a {@code traceparent} follows its
 * caller's sampled flag; one without starts a trace, sampled with
 * {@code management.tracing.sampling.probability}. It is recorded only when it is sampled <em>and</em>
 * an exporter takes spans (an OTLP endpoint is set; Boot's {@link SpanExporters}): a span nobody
 * receives is work for nothing.
 *
 * <p>Deciding before the tracer is asked is what makes an unrecorded request cheap: Micrometer's
 * tracing handlers would otherwise make a span for every observation (the HTTP request, the
 * command's send), recording or not, with its ids, context, scope and log-correlation events. An
 * unrecorded request makes none ({@link RecordedOnly}); its trace still goes on, with the same ids a
 * span would have had, in the command's {@code traceparent} and in its log lines
 * ({@link UnrecordedTraceLogging}).
 */
@Component
public class TraceSampling {

    private static final String ATTRIBUTE = RequestTrace.class.getName();

    private final double probability;
    private final boolean exporting;

    @Autowired
    TraceSampling(@Value("${management.tracing.sampling.probability:0.1}") double probability,
            ObjectProvider<SpanExporters> exporters) {
        this(probability, !exporters.getIfAvailable(SpanExporters::of).list().isEmpty());
    }

    TraceSampling(double probability, boolean exporting) {
        this.probability = probability;
        this.exporting = exporting;
    }

    /** Whether an exporter takes spans: without one, no request is recorded. */
    public boolean exports() {
        return exporting;
    }

    /** The trace of this HTTP request: decided on its first call, the same on every later one. */
    public RequestTrace of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof RequestTrace known) {
            return known;
        }
        RequestTrace trace = decide(request.getHeader(Traceparent.HEADER));
        request.setAttribute(ATTRIBUTE, trace);
        return trace;
    }

    /**
     * The trace of an observation: its parent's (a command's send is part of its request), an HTTP
     * request's own, or, for any other observation started on its own, a trace started here.
     */
    RequestTrace of(Observation.Context context) {
        RequestTrace known = context.get(RequestTrace.class);
        if (known != null) {
            return known;
        }
        RequestTrace trace = inherited(context.getParentObservation());
        if (trace == null) {
            trace = context instanceof ServerRequestObservationContext server ? of(server.getCarrier()) : decide(null);
        }
        context.put(RequestTrace.class, trace);
        return trace;
    }

    private static RequestTrace inherited(ObservationView parent) {
        return parent == null ? null : parent.getContextView().get(RequestTrace.class);
    }

    private RequestTrace decide(String traceparent) {
        Traceparent hop = Traceparent.parse(traceparent).map(Traceparent::child)
                .orElseGet(() -> Traceparent.start(probability));
        return new RequestTrace(hop, hop.sampled() && exporting);
    }
}
