package io.orderstream.processor.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import io.orderstream.processor.orders.CommandTracing;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.stereotype.Component;

/**
 * The processor's spans, through Micrometer Tracing (OpenTelemetry underneath): the command handled
 * by the topology ({@link CommandTracing}) and the events the projector writes. Each continues the
 * trace of its record's {@code traceparent} (W3C Trace Context), so one command is one trace from
 * the HTTP request to PostgreSQL. Sampling follows the caller's decision (the sampled flag) or, for
 * a trace started here, {@code management.tracing.sampling.probability}; a span is made only for a
 * sampled trace, and only when an exporter takes spans (an OTLP endpoint is set).
 */
@Component
public class KafkaTracing implements CommandTracing {

    static final String COMMAND_SPAN = "order-processor command";
    static final String MESSAGING_SYSTEM = "messaging.system";
    static final String DESTINATION = "messaging.destination.name";
    /** The MDC keys of Micrometer Tracing's log correlation, which the log pattern prints. */
    private static final String TRACE_ID = "traceId";
    private static final String SPAN_ID = "spanId";

    private static final Propagator.Getter<Headers> HEADERS =
            (headers, name) -> MessageHeaders.lastString(headers, name).orElse(null);

    private final Tracer tracer;
    private final Propagator propagator;
    private final double probability;
    private final boolean exporting;

    @Autowired
    KafkaTracing(Tracer tracer, Propagator propagator,
            @Value("${management.tracing.sampling.probability:0.1}") double probability,
            ObjectProvider<SpanExporters> exporters) {
        this(tracer, propagator, probability,
                !exporters.getIfAvailable(SpanExporters::of).list().isEmpty());
    }

    /** @param exporting whether an exporter takes spans (Boot's {@link SpanExporters}: OTLP's, with an endpoint) */
    KafkaTracing(Tracer tracer, Propagator propagator, double probability, boolean exporting) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.probability = probability;
        this.exporting = exporting;
    }

    @Override
    public Handling start(Headers headers) {
        Optional<Traceparent> unrecorded = unrecorded(headers);
        if (unrecorded.isPresent()) {
            return unrecorded(unrecorded.get());
        }
        Span command = consumer(COMMAND_SPAN, Topics.COMMANDS.name(), headers);
        if (command.isNoop()) {
            // tracing switched off (management.tracing.enabled=false): the headers still carry the trace
            return HEADERS_ONLY.start(headers);
        }
        // current while the command is handled: its log lines carry its trace and span ids
        Tracer.SpanInScope scope = tracer.withSpan(command);
        return new Handling() {
            @Override
            public Traceparent send(String topic) {
                Span record = tracer.spanBuilder().setParent(command.context()).name(topic + " send")
                        .kind(Span.Kind.PRODUCER).tag(MESSAGING_SYSTEM, "kafka").tag(DESTINATION, topic).start();
                record.end();
                return traceparent(record.context());
            }

            @Override
            public void failed(Throwable error) {
                command.error(error);
            }

            @Override
            public void close() {
                scope.close();
                command.end();
            }
        };
    }

    /**
     * Starts (not in scope) a span for a record read from {@code topic}, a child of the trace its
     * {@code headers} carry; a record without one starts a trace. A record whose trace is not
     * recorded gets {@link Span#NOOP}.
     */
    public Span consumer(String name, String topic, Headers headers) {
        if (unrecorded(headers).isPresent()) {
            return Span.NOOP;
        }
        return propagator.extract(headers, HEADERS).name(name).kind(Span.Kind.CONSUMER)
                .tag(MESSAGING_SYSTEM, "kafka").tag(DESTINATION, topic).start();
    }

    /**
     * The record's trace when no span of it would reach anyone: its caller decided not to sample it
     * (the sampler follows that decision, so the span would record nothing), or no exporter takes
     * spans. Such a span is not made at all, which saves the tracer's work on most commands (a trace
     * the API starts is sampled with {@code ORDERS_TRACING_SAMPLING}, 0.1). A record without a
     * {@code traceparent} starts a trace, sampled with that probability for the hops after this one.
     */
    private Optional<Traceparent> unrecorded(Headers headers) {
        Optional<Traceparent> caller = MessageHeaders.lastString(headers, MessageHeaders.TRACEPARENT)
                .flatMap(Traceparent::parse);
        if (!exporting) {
            return Optional.of(caller.orElseGet(() -> Traceparent.start(probability)));
        }
        return caller.filter(trace -> !trace.sampled());
    }

    /**
     * An unsampled command: the trace goes on in the records it writes (a new span id each, as W3C
     * Trace Context asks of a hop), and while it is handled its log lines carry the trace id and this
     * hop's span id, as a recorded span's would.
     */
    private static Handling unrecorded(Traceparent caller) {
        Traceparent own = caller.child();
        MDC.put(TRACE_ID, own.traceId());
        MDC.put(SPAN_ID, own.spanId());
        return CommandTracing.unrecorded(own, () -> {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        });
    }

    private static Traceparent traceparent(TraceContext context) {
        return new Traceparent(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
    }
}
