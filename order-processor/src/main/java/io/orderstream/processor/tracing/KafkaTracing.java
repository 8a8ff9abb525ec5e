package io.orderstream.processor.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import io.orderstream.processor.orders.CommandTracing;
import org.apache.kafka.common.header.Headers;
import org.springframework.stereotype.Component;

/**
 * The processor's spans, through Micrometer Tracing (OpenTelemetry underneath): the command handled
 * by the topology ({@link CommandTracing}) and the events the projector writes. Each continues the
 * trace of its record's {@code traceparent} (W3C Trace Context), so one command is one trace from
 * the HTTP request to PostgreSQL. Sampling follows the caller's decision (the sampled flag) or, for
 * a trace started here, {@code management.tracing.sampling.probability}.
 */
@Component
public class KafkaTracing implements CommandTracing {

    static final String COMMAND_SPAN = "order-processor command";
    static final String MESSAGING_SYSTEM = "messaging.system";
    static final String DESTINATION = "messaging.destination.name";

    private static final Propagator.Getter<Headers> HEADERS =
            (headers, name) -> MessageHeaders.lastString(headers, name).orElse(null);

    private final Tracer tracer;
    private final Propagator propagator;

    KafkaTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public Handling start(Headers headers) {
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
     * {@code headers} carry; a record without one starts a trace.
     */
    public Span consumer(String name, String topic, Headers headers) {
        return propagator.extract(headers, HEADERS).name(name).kind(Span.Kind.CONSUMER)
                .tag(MESSAGING_SYSTEM, "kafka").tag(DESTINATION, topic).start();
    }

    private static Traceparent traceparent(TraceContext context) {
        return new Traceparent(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
    }
}
