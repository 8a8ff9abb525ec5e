package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One command is one trace: the HTTP request, the command's send, the processor's handling, the
 * event and the result it writes, and the projector's write to PostgreSQL, each span a child of the
 * one before, on the real broker and PostgreSQL. The services run in this JVM with every trace
 * sampled and an in-memory exporter beside Boot's (which collects every {@link SpanExporter} bean);
 * no OTLP endpoint is configured, so no other exporter exists.
 *
 * <p>A broker and a PostgreSQL of its own: its processor samples everything.
 */
class TracingIT {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final String SECRET = "it-secret-" + UUID.randomUUID() + UUID.randomUUID();
    private static final String COMMAND_SPAN = "order-processor command";
    private static final String WRITE_SPAN = "order-projector write";

    private static LocalKafka kafka;
    private static LocalPostgres postgres;
    private static Services.Settings settings;
    private static Services services;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory("order-stream-tracing-");
        kafka = LocalKafka.start(0, work.resolve("kafka"));
        postgres = LocalPostgres.start(0, null);
        settings = new Services.Settings(kafka.bootstrapServers(), postgres.jdbcUrl(),
                LocalPostgres.USER, LocalPostgres.PASSWORD, SECRET, 0, 0, work.resolve("streams"), Map.of(
                        "orders.topics.partitions", "3",
                        "orders.api.result-timeout", "20s",
                        "management.tracing.sampling.probability", "1.0",
                        "management.opentelemetry.tracing.export.schedule-delay", "100ms"));
        services = Services.start(settings,
                List.of(context -> context.getBeanFactory().registerSingleton("inMemorySpanExporter", SPANS)));
        api = new Api("http://localhost:" + services.apiPort(), SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void forgetSpans() {
        SPANS.reset();
    }

    @Test
    void placeOrder_withTheCallersTraceparent_isOneTreeInTheCallersTrace() {
        String traceId = Traceparent.start().traceId();
        String callerSpan = "b7ad6b7169203331";
        HttpResponse<String> placed = api.send(HttpRequest.newBuilder(
                api.command("POST", "/api/v1/orders", TestStack.newTenant(), "traced-1", Api.placeBody("c-1")),
                (name, value) -> true).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01").build());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);

        SpanData server = assertOneTree(traceId, "/api/v1/orders");
        assertThat(server.getParentSpanId()).as("the HTTP span continues the caller's").isEqualTo(callerSpan);
    }

    @Test
    void statusChange_withoutTraceparent_isOneTreeInATraceTheApiStarts() {
        String tenant = TestStack.newTenant();
        HttpResponse<String> placed = api.placeOrder(tenant, "place", Api.placeBody("c-2"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String orderId = CommandPathIT.orderId(placed);
        await().atMost(Duration.ofSeconds(30)).until(() -> named(WRITE_SPAN).isPresent());
        SPANS.reset();

        HttpResponse<String> changed = api.changeStatus(tenant, orderId, "process", Api.statusBody("PROCESSING"));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> named(WRITE_SPAN).isPresent());
        SpanData server = assertOneTree(named(WRITE_SPAN).orElseThrow().getTraceId(), "/status");
        assertThat(server.getParentSpanContext().isValid()).as("the API started the trace").isFalse();
    }

    @Test
    void processorLogLines_carryTheCommandsTraceAndSpanIds() throws Exception {
        String traceId = Traceparent.start().traceId();

        ILoggingEvent parked = parkedLine(traceId, "00-" + traceId + "-00f067aa0ba902b7-01");

        await().atMost(Duration.ofSeconds(30)).until(() -> named(COMMAND_SPAN).filter(span ->
                span.getTraceId().equals(traceId)).isPresent());
        SpanData command = one(spans(traceId), SpanKind.CONSUMER, Topics.COMMANDS.name());
        assertThat(parked.getMDCPropertyMap()).containsEntry("traceId", traceId)
                .containsEntry("spanId", command.getSpanId());
    }

    @Test
    void anUnsampledCommand_recordsNoSpan_butItsLogLinesAndRecordsKeepTheTrace() throws Exception {
        String traceId = Traceparent.start().traceId();
        String callerSpan = "00f067aa0ba902b7";

        ILoggingEvent parked = parkedLine(traceId, "00-" + traceId + "-" + callerSpan + "-00");

        assertThat(parked.getMDCPropertyMap().get("spanId")).as("this hop's own span id")
                .matches("[0-9a-f]{16}").isNotEqualTo(callerSpan);
        // a sampled command sent after it is recorded, so the exporter has caught up past the unsampled one
        HttpResponse<String> placed = api.placeOrder(TestStack.newTenant(), "after-unsampled", Api.placeBody("c-3"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> named(WRITE_SPAN).isPresent());
        assertThat(spans(traceId)).as("spans of the unsampled trace").isEmpty();
    }

    @Test
    void anApiWithoutAnExporter_makesNoSpan_andTheProcessorContinuesTheCallersTrace() {
        List<ReadableSpan> started = new CopyOnWriteArrayList<>();
        SpanProcessor startedSpans = new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
                started.add(span);
            }

            @Override
            public boolean isStartRequired() {
                return true;
            }

            @Override
            public void onEnd(ReadableSpan span) {
            }

            @Override
            public boolean isEndRequired() {
                return false;
            }
        };
        // a second API, sampling everything as the first does, but with no exporter: no OTLP endpoint
        try (ConfigurableApplicationContext unexported = Services.startApi(settings,
                List.of(context -> context.getBeanFactory().registerSingleton("startedSpans", startedSpans)))) {
            Api second = new Api("http://localhost:" + Services.port(unexported), SECRET);
            String traceId = Traceparent.start().traceId();
            String callerSpan = "b7ad6b7169203331";
            HttpResponse<String> placed = second.send(HttpRequest.newBuilder(
                    second.command("POST", "/api/v1/orders", TestStack.newTenant(), "unexported-1",
                            Api.placeBody("c-4")), (name, value) -> true)
                    .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01").build());
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(30)).until(() -> spans(traceId).stream()
                    .anyMatch(span -> span.getName().equals(COMMAND_SPAN)));
            SpanData command = one(spans(traceId), SpanKind.CONSUMER, Topics.COMMANDS.name());
            assertThat(command.getParentSpanId()).as("the API's hop: a span id of its own, recorded nowhere")
                    .matches("[0-9a-f]{16}").isNotEqualTo(callerSpan);
            assertThat(spans(traceId)).extracting(SpanData::getSpanId).doesNotContain(command.getParentSpanId());
            assertThat(started).as("spans the API without an exporter started").isEmpty();
        }
    }

    /**
     * Sends an unreadable command with this {@code traceparent} straight to the command topic: the
     * processor parks it and says so in a warning, whose line (its MDC in trace {@code traceId}) this returns.
     */
    private ILoggingEvent parkedLine(String traceId, String traceparent) throws Exception {
        Logger processorLog = (Logger) LoggerFactory.getLogger("io.orderstream.processor.orders.CommandProcessor");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        processorLog.addAppender(lines);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.COMMANDS.name(),
                    utf8(TestStack.newTenant() + "/o-1"), utf8("not a command"));
            record.headers().add("traceparent", utf8(traceparent));
            producer.send(record).get();
            return await("a line saying the command was parked").atMost(Duration.ofSeconds(30))
                    .until(() -> List.copyOf(lines.list).stream()
                            .filter(line -> line.getFormattedMessage().contains("parked"))
                            .filter(line -> traceId.equals(line.getMDCPropertyMap().get("traceId"))).findFirst(),
                            Optional::isPresent).orElseThrow();
        } finally {
            processorLog.detachAppender(lines);
        }
    }

    @Test
    void withoutAnOtlpEndpoint_noExporterExists_butTheTestsOwn() {
        for (ConfigurableApplicationContext context : List.of(services.processor(), services.api())) {
            assertThat(context.getBeanProvider(SdkTracerProvider.class).getIfAvailable())
                    .as("%s records spans", context.getId()).isNotNull();
            assertThat(context.getBeansOfType(SpanExporter.class).values())
                    .as("span exporters of %s: the test's own only", context.getId()).containsExactly(SPANS);
        }
    }

    /**
     * Asserts the spans of trace {@code traceId} form the designed tree, and returns its HTTP span:
     * HTTP request → command send → processor → event send → projector write, and processor →
     * result send; the HTTP span lasts until the result was written (the API waits for it).
     */
    private static SpanData assertOneTree(String traceId, String route) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spans(traceId))
                .extracting(SpanData::getName).contains(COMMAND_SPAN, WRITE_SPAN,
                        Topics.EVENTS.name() + " send", Topics.COMMAND_RESULTS.name() + " send"));
        // the HTTP span ends when its answer is written, after the projector may have written
        await().atMost(Duration.ofSeconds(30)).until(() -> spans(traceId).stream()
                .anyMatch(span -> span.getKind() == SpanKind.SERVER));
        List<SpanData> trace = spans(traceId);
        SpanData server = one(trace, SpanKind.SERVER, null);
        assertThat(server.getName()).contains(route.startsWith("/status") ? "status" : "/api/v1/orders");
        SpanData commandSend = one(trace, SpanKind.PRODUCER, Topics.COMMANDS.name());
        SpanData command = one(trace, SpanKind.CONSUMER, Topics.COMMANDS.name());
        SpanData eventSend = one(trace, SpanKind.PRODUCER, Topics.EVENTS.name());
        SpanData resultSend = one(trace, SpanKind.PRODUCER, Topics.COMMAND_RESULTS.name());
        SpanData write = one(trace, SpanKind.CONSUMER, Topics.EVENTS.name());

        assertThat(commandSend.getParentSpanId()).as("the send is part of the request").isEqualTo(server.getSpanId());
        assertThat(command.getName()).isEqualTo(COMMAND_SPAN);
        assertThat(command.getParentSpanId()).as("the processor continues the send").isEqualTo(commandSend.getSpanId());
        assertThat(eventSend.getParentSpanId()).isEqualTo(command.getSpanId());
        assertThat(resultSend.getParentSpanId()).isEqualTo(command.getSpanId());
        assertThat(write.getName()).isEqualTo(WRITE_SPAN);
        assertThat(write.getParentSpanId()).as("the projector continues the event's").isEqualTo(eventSend.getSpanId());
        assertThat(server.getEndEpochNanos()).as("the HTTP span covers the wait for the result")
                .isGreaterThanOrEqualTo(resultSend.getEndEpochNanos());
        return server;
    }

    /** The one span of this kind (and destination, if given) in the trace. */
    private static SpanData one(List<SpanData> trace, SpanKind kind, String destination) {
        List<SpanData> found = trace.stream().filter(span -> span.getKind() == kind)
                .filter(span -> destination == null || destination.equals(span.getAttributes().asMap().entrySet()
                        .stream().filter(attribute -> attribute.getKey().getKey().equals("messaging.destination.name"))
                        .map(attribute -> String.valueOf(attribute.getValue())).findFirst().orElse(null)))
                .toList();
        assertThat(found).as("%s spans to %s in %s", kind, destination, trace).hasSize(1);
        return found.get(0);
    }

    private static List<SpanData> spans(String traceId) {
        return SPANS.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static Optional<SpanData> named(String name) {
        return SPANS.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
