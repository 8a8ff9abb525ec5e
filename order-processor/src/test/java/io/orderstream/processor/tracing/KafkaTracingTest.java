package io.orderstream.processor.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import io.orderstream.processor.orders.CommandTracing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Which commands and records make spans in the processor, on a real OpenTelemetry SDK behind
 * Micrometer Tracing's bridge: only a sampled trace, and only when an exporter takes spans. Every
 * other command still continues its trace in the records it writes and in its log lines.
 */
class KafkaTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void aSampledCommand_withAnExporter_isASpan_andEachRecordItWritesAnother() {
        KafkaTracing tracing = tracing(true, 0.0);
        Traceparent written;
        try (CommandTracing.Handling handling = tracing.start(headers("01"))) {
            written = handling.send(Topics.EVENTS.name());
        }
        // in the order they ended: the record's at once, the command's when it is done
        List<SpanData> ended = spans.getFinishedSpanItems();
        assertThat(ended).hasSize(2);
        assertThat(ended.get(1).getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(written).isEqualTo(new Traceparent(TRACE, ended.get(0).getSpanId(), "01"));
    }

    @Test
    void anUnsampledCommand_isNoSpan_butItsRecordsAndLogLinesContinueTheTrace() {
        assertUnrecorded(tracing(true, 1.0), "00");
    }

    @Test
    void withoutAnExporter_aSampledCommandIsNoSpan_andTheNextHopsStillSampleIt() {
        assertUnrecorded(tracing(false, 1.0), "01");
        assertThat(tracing(false, 1.0).consumer("write", Topics.EVENTS.name(), headers("01"))).isSameAs(Span.NOOP);
    }

    @Test
    void withoutAnExporter_aRecordWithoutATraceparentStartsATrace_sampledWithTheProbability() {
        for (double probability : new double[] {0.0, 1.0}) {
            try (CommandTracing.Handling handling = tracing(false, probability).start(new RecordHeaders())) {
                Traceparent written = handling.send(Topics.EVENTS.name());
                assertThat(written.sampled()).as("sampled at probability %s", probability).isEqualTo(probability == 1.0);
                assertThat(MDC.get("traceId")).isEqualTo(written.traceId());
            }
        }
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    private void assertUnrecorded(KafkaTracing tracing, String flags) {
        Traceparent written;
        String spanInLogs;
        try (CommandTracing.Handling handling = tracing.start(headers(flags))) {
            assertThat(MDC.get("traceId")).isEqualTo(TRACE);
            spanInLogs = MDC.get("spanId");
            written = handling.send(Topics.EVENTS.name());
        }
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(spanInLogs).matches("[0-9a-f]{16}").isNotEqualTo(CALLER_SPAN);
        assertThat(written.traceId()).isEqualTo(TRACE);
        assertThat(written.flags()).isEqualTo(flags);
        assertThat(written.spanId()).isNotIn(CALLER_SPAN, spanInLogs);
        assertThat(MDC.get("traceId")).as("once the command is done").isNull();
    }

    private static Headers headers(String flags) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageHeaders.TRACEPARENT, ("00-" + TRACE + "-" + CALLER_SPAN + "-" + flags)
                .getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** @param exporter whether the service has an exporter: the test's span processor is there either way */
    private KafkaTracing tracing(boolean exporter, double probability) {
        SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        io.opentelemetry.api.trace.Tracer otel = provider.get("test");
        return new KafkaTracing(new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { }),
                new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel),
                probability, exporter);
    }
}
