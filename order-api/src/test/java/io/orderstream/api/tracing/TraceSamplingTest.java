package io.orderstream.api.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.orderstream.events.Traceparent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Which requests make spans, on a real OpenTelemetry SDK behind Micrometer Tracing's bridge and an
 * observation registry wired as Boot wires it (the tracing handlers first, the metrics handler,
 * then the others): what a span processor sees started, what the metrics count, what the log
 * lines' MDC holds, and what the next hop is told.
 */
class TraceSamplingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void aSampledCaller_withAnExporter_isRecorded_theSendSpanInItsTrace() {
        Request request = request(true, 0.0, "00-" + TRACE + "-" + CALLER_SPAN + "-01");

        // in the order they ended
        assertThat(spans.getFinishedSpanItems()).hasSize(2);
        SpanData send = spans.getFinishedSpanItems().get(0);
        SpanData server = spans.getFinishedSpanItems().get(1);
        assertThat(server.getTraceId()).isEqualTo(TRACE);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(send.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(request.record()).containsEntry(Traceparent.HEADER, "00-" + TRACE + "-" + send.getSpanId() + "-01");
        assertThat(request.trace().recorded()).isTrue();
    }

    @Test
    void anUnsampledCaller_makesNoSpan_butIsTimed_andItsLogLinesCarryTheTrace() {
        Request request = request(true, 1.0, "00-" + TRACE + "-" + CALLER_SPAN + "-00");

        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(meters.get("http.server.requests").timer().count()).isEqualTo(1);
        assertThat(meters.get("send").timer().count()).isEqualTo(1);
        Traceparent hop = request.trace().hop();
        assertThat(hop.traceId()).isEqualTo(TRACE);
        assertThat(hop.spanId()).as("a span id of this hop's own").isNotEqualTo(CALLER_SPAN);
        assertThat(hop.sampled()).isFalse();
        assertThat(request.mdcInScope()).containsEntry("traceId", TRACE).containsEntry("spanId", hop.spanId());
        assertThat(request.mdcInSend()).as("the send is part of the request: the same ids")
                .isEqualTo(request.mdcInScope()).isEqualTo(request.mdcAfterSend());
        assertThat(MDC.getCopyOfContextMap()).as("MDC once the request is done").isNullOrEmpty();
        assertThat(request.record()).as("headers the send's observation wrote").isEmpty();
    }

    @Test
    void aSampledCaller_withoutAnExporter_makesNoSpan_andTheNextHopsStillSampleIt() {
        Request request = request(false, 1.0, "00-" + TRACE + "-" + CALLER_SPAN + "-01");

        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(request.trace().recorded()).isFalse();
        assertThat(request.trace().hop().traceId()).isEqualTo(TRACE);
        assertThat(request.trace().hop().sampled()).isTrue();
        assertThat(request.mdcInScope()).containsEntry("traceId", TRACE);
    }

    @Test
    void withoutATraceparent_theSamplingProbabilityDecides_once() {
        Request sampled = request(true, 1.0, null);
        assertThat(spans.getFinishedSpanItems()).hasSize(2);
        assertThat(spans.getFinishedSpanItems().get(1).getParentSpanContext().isValid()).as("a trace started here")
                .isFalse();
        assertThat(sampled.trace().recorded()).isTrue();

        spans.reset();
        Request unsampled = request(true, 0.0, null);
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(unsampled.trace().hop().sampled()).isFalse();
        assertThat(unsampled.mdcInScope()).containsEntry("traceId", unsampled.trace().hop().traceId());
    }

    @Test
    void anInvalidTraceparent_startsATrace() {
        Request request = request(false, 0.0, "00-" + TRACE + "-" + CALLER_SPAN + "-0x");

        assertThat(request.trace().hop().traceId()).isNotEqualTo(TRACE);
    }

    /** What one request through the registry showed: its decision, its MDC, its send's headers. */
    private record Request(RequestTrace trace, Map<String, String> mdcInScope, Map<String, String> mdcInSend,
            Map<String, String> mdcAfterSend, Map<String, String> record) {
    }

    /** An HTTP request's observation with a command's send inside it, as the API makes them. */
    private Request request(boolean exporter, double probability, String traceparent) {
        TraceSampling sampling = sampling(exporter, probability);
        ObservationRegistry registry = registry(sampling);
        MockHttpServletRequest http = new MockHttpServletRequest("POST", "/api/v1/orders");
        if (traceparent != null) {
            http.addHeader(Traceparent.HEADER, traceparent);
        }
        ServerRequestObservationContext server = new ServerRequestObservationContext(http,
                new MockHttpServletResponse());
        Map<String, String> record = new HashMap<>();
        Map<String, String> inScope;
        Map<String, String> afterSend;
        Map<String, String>[] inSend = new Map[1];
        Observation request = Observation.createNotStarted("http.server.requests", () -> server, registry).start();
        try (Observation.Scope scope = request.openScope()) {
            inScope = MDC.getCopyOfContextMap();
            SenderContext<Map<String, String>> send = new SenderContext<>(Map::put);
            send.setCarrier(record);
            Observation.createNotStarted("send", () -> send, registry)
                    .observe(() -> inSend[0] = MDC.getCopyOfContextMap());
            afterSend = MDC.getCopyOfContextMap();
        }
        request.stop();
        return new Request(sampling.of(http), inScope == null ? Map.of() : inScope,
                inSend[0] == null ? Map.of() : inSend[0], afterSend == null ? Map.of() : afterSend, record);
    }

    /** @param exporter whether the service has an exporter: the test's span processor is there either way */
    private TraceSampling sampling(boolean exporter, double probability) {
        return new TraceSampling(probability, exporter);
    }

    private ObservationRegistry registry(TraceSampling sampling) {
        SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(new TracingConfiguration().otelSampler())
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        io.opentelemetry.api.trace.Tracer otel = provider.get("test");
        Tracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        Propagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()),
                otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig()
                .observationHandler(new FirstMatchingCompositeObservationHandler(
                        new RecordedOnly.Receiver(tracer, propagator, sampling),
                        new RecordedOnly.Sender(tracer, propagator, sampling),
                        new RecordedOnly.Local(tracer, sampling)))
                .observationHandler(new TracingAwareMeterObservationHandler<>(
                        new DefaultMeterObservationHandler(meters), tracer))
                .observationHandler(new UnrecordedTraceLogging(sampling));
        return registry;
    }
}
