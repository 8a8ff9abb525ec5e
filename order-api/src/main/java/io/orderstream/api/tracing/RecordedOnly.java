package io.orderstream.api.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Micrometer Tracing's three observation handlers (Boot's, in Boot's order: receiver, sender,
 * default), each taking part only in observations of a recorded request ({@link TraceSampling}).
 * For any other observation none of them does, so no span is made; the metrics handler still
 * times it.
 */
final class RecordedOnly {

    private RecordedOnly() {
    }

    /**
     * Whether the observation is recorded. One that is not gets an empty tracing context: the
     * metrics handler reads it when the observation stops (for exemplars) and finds no span.
     */
    static boolean recorded(TraceSampling sampling, Observation.Context context) {
        if (sampling.of(context).recorded()) {
            return true;
        }
        if (context.get(TracingContext.class) == null) {
            context.put(TracingContext.class, new TracingContext());
        }
        return false;
    }

    /** The span of an incoming request, continuing its caller's trace. */
    static final class Receiver extends PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> {
        private final TraceSampling sampling;

        Receiver(Tracer tracer, Propagator propagator, TraceSampling sampling) {
            super(tracer, propagator);
            this.sampling = sampling;
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return super.supportsContext(context) && recorded(sampling, context);
        }
    }

    /** The span of an outgoing message (the command's send), whose trace the record carries. */
    static final class Sender extends PropagatingSenderTracingObservationHandler<SenderContext<?>> {
        private final TraceSampling sampling;

        Sender(Tracer tracer, Propagator propagator, TraceSampling sampling) {
            super(tracer, propagator);
            this.sampling = sampling;
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return super.supportsContext(context) && recorded(sampling, context);
        }
    }

    /** The span of any other observation. */
    static final class Local extends DefaultTracingObservationHandler {
        private final TraceSampling sampling;

        Local(Tracer tracer, TraceSampling sampling) {
            super(tracer);
            this.sampling = sampling;
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return super.supportsContext(context) && recorded(sampling, context);
        }
    }
}
