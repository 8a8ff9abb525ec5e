package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import io.orderstream.events.contract.MessageValidator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event contract as downstream services meet it on the real broker: every command, event and
 * result is valid against its JSON Schema and carries content type, schema, version and trace
 * headers; a caller's W3C trace reaches the events; v1 and v2 events are read by one path.
 */
class EventContractIT {

    private static TestStack stack;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
    }

    @Test
    void traceparentOfTheHttpRequest_isFoundOnTheCommandItsEventsAndItsResult() {
        String tenant = TestStack.newTenant();
        String traceId = Traceparent.start().traceId();
        String incoming = "00-" + traceId + "-b7ad6b7169203331-01";

        HttpResponse<String> placed = stack.api.send(stack.api.request("/api/v1/orders")
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + stack.api.token(tenant))
                .header("Idempotency-Key", "traced-1").header("traceparent", incoming)
                .POST(HttpRequest.BodyPublishers.ofString(Api.placeBody("c-1"))).build());

        assertThat(placed.statusCode()).isEqualTo(201);
        String key = tenant + "/" + CommandPathIT.orderId(placed);
        for (String topic : List.of(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.COMMAND_RESULTS.name())) {
            List<ConsumerRecord<byte[], byte[]>> records = recordsOf(topic, key);
            assertThat(records).as(topic).hasSize(1);
            Traceparent trace = trace(records.get(0).headers());
            assertThat(trace.traceId()).as(topic + " continues the caller's trace").isEqualTo(traceId);
            assertThat(trace.spanId()).as(topic + " is a span of its own").isNotEqualTo("b7ad6b7169203331");
            // no exporter here, so no hop records a span; each still asks the next to sample it
            assertThat(trace.sampled()).as(topic + " keeps the caller's sampled flag").isTrue();
        }
        assertThat(trace(recordsOf(Topics.EVENTS.name(), key).get(0).headers()).spanId())
                .isNotEqualTo(trace(recordsOf(Topics.COMMANDS.name(), key).get(0).headers()).spanId());
    }

    @Test
    void everyRecordOfSomeTraffic_carriesItsHeaders_andMatchesItsSchema_andStatusChangesNameTheActor() {
        String tenant = TestStack.newTenant();
        String orderId = CommandPathIT.orderId(stack.api.placeOrder(tenant, "k1", Api.placeBody("c-1")));
        assertThat(stack.api.changeStatus(tenant, orderId, "k2", Api.statusBody("PROCESSING")).statusCode())
                .isEqualTo(200);
        assertThat(stack.api.changeStatus(tenant, orderId, "k2", Api.statusBody("PROCESSING")).statusCode())
                .as("replayed").isEqualTo(200);
        assertThat(stack.api.changeStatus(tenant, orderId, "k3", Api.statusBody("REFUNDED")).statusCode())
                .as("rejected").isEqualTo(409);
        String key = tenant + "/" + orderId;

        // the duplicate of k2 is answered by the API's near cache from k2's committed result: it writes
        // no command and no result (the processor's replay records are OrderTopologyTest's)
        Map<String, Integer> expected = Map.of(Topics.COMMANDS.name(), 3, Topics.EVENTS.name(), 2,
                Topics.COMMAND_RESULTS.name(), 3);
        expected.forEach((topic, count) -> {
            List<ConsumerRecord<byte[], byte[]>> records = recordsOf(topic, key);
            assertThat(records).as(topic).hasSize(count);
            MessageSchema schema = MessageSchema.forTopic(topic).orElseThrow();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                // present, and consistent with the value (Evidence checked the value's schema already)
                assertThat(MessageHeaders.lastString(record.headers(), MessageHeaders.CONTENT_TYPE))
                        .hasValue("application/json");
                assertThat(MessageHeaders.lastString(record.headers(), MessageHeaders.SCHEMA))
                        .hasValue(schema.schemaName());
                assertThat(MessageHeaders.lastString(record.headers(), MessageHeaders.SCHEMA_VERSION))
                        .hasValue(Integer.toString(schema.currentVersion()));
                assertThat(MessageValidator.recordViolations(schema, record.value(), record.headers())).isEmpty();
                trace(record.headers());
            }
        });
        List<EventEnvelope> events = evidence.events(tenant).get(orderId);
        assertThat(events).extracting(EventEnvelope::schemaVersion).containsOnly(SchemaVersions.EVENT);
        assertThat(events.get(1).event()).isEqualTo(new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.PROCESSING, null, "dev-user@" + tenant));
    }

    @Test
    void v1EventsInTheLog_areReadThroughTheSamePath_andProjected_upcastWithAnUnknownActor() throws Exception {
        String tenant = TestStack.newTenant();
        String orderId = "legacy-1";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String golden : List.of("event-v1-order-placed.json", "event-v1-status-changed.json")) {
                // a v1 event as an older build wrote it, moved to this test's tenant (event ids are unique)
                ObjectNode v1 = (ObjectNode) Json.MAPPER.readTree(golden(golden));
                v1.put("tenantId", tenant).put("orderId", orderId).put("eventId", UUID.nameUUIDFromBytes(
                        utf8(tenant + "/" + orderId + "#" + v1.get("sequence").asLong())).toString());
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), utf8(tenant + "/" + orderId),
                        Json.MAPPER.writeValueAsBytes(v1))).get();
            }
        }

        List<EventEnvelope> read = evidence.events(tenant).get(orderId);
        assertThat(read).extracting(EventEnvelope::schemaVersion).containsOnly(SchemaVersions.EVENT);
        assertThat(read.get(1).event()).isEqualTo(new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.PROCESSING, "picked", null));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                stack.api.getOrder(tenant, orderId).statusCode() == 200);
        HttpResponse<String> history = stack.api.send(stack.api.request("/api/v1/orders/" + orderId + "/events")
                .header("Authorization", "Bearer " + stack.api.token(tenant)).GET().build());
        JsonNode events = Json.MAPPER.readTree(history.body()).get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(1).get("event").has("actor")).isTrue();
        assertThat(events.get(1).get("event").get("actor").isNull()).isTrue();
        assertThat(Json.MAPPER.readTree(stack.api.getOrder(tenant, orderId).body()).get("status").asString())
                .isEqualTo("PROCESSING");
    }

    private static List<ConsumerRecord<byte[], byte[]>> recordsOf(String topic, String key) {
        return evidence.readTopic(topic).stream()
                .filter(record -> key.equals(new String(record.key(), StandardCharsets.UTF_8))).toList();
    }

    private static Traceparent trace(Headers headers) {
        String value = MessageHeaders.lastString(headers, MessageHeaders.TRACEPARENT).orElseThrow(() ->
                new AssertionError("no traceparent header"));
        return Traceparent.parse(value).orElseThrow(() -> new AssertionError("invalid traceparent " + value));
    }

    private static String golden(String name) throws Exception {
        try (var in = EventContractIT.class.getClassLoader().getResourceAsStream("golden/orders.events.v1/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
