package io.orderstream.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.OrderStatus;
import io.orderstream.events.Topics;
import io.orderstream.local.Api;
import io.orderstream.local.TestStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The example consumer on the real broker, fed by the real API and processor. */
class OrderEventConsumerIT {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static TestStack stack;

    @TempDir
    Path dir;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
    }

    @Test
    void redeliveredEvents_changeNothing_andNewEventsStillApply() throws Exception {
        String tenant = TestStack.newTenant();
        String orderId = placeAndProcess(tenant);
        String key = tenant + "/" + orderId;
        String group = "example-" + UUID.randomUUID();
        Path storeFile = dir.resolve("views.json");

        try (OrderEventConsumer consumer = new OrderEventConsumer(stack.bootstrapServers, group,
                OrderViewStore.open(storeFile))) {
            await().atMost(BOUND).until(() -> {
                consumer.pollOnce(Duration.ofMillis(200));
                return OrderViewStore.open(storeFile).get(key).map(OrderView::lastSequence).orElse(0L) == 2;
            });
        }
        String afterFirstRun = Files.readString(storeFile);
        OrderView view = OrderViewStore.open(storeFile).get(key).orElseThrow();
        assertThat(view.status()).isEqualTo(OrderStatus.PROCESSING);
        assertThat(view.lastActor()).isEqualTo("dev-user@" + tenant);

        // an operator replays the order's events: each arrives once more, after the originals
        replay(key);
        // and a consumer that lost its commits (crash before commitSync) reads the whole log again
        try (OrderEventConsumer again = new OrderEventConsumer(stack.bootstrapServers, group,
                OrderViewStore.open(storeFile))) {
            await().atMost(BOUND).until(() -> {
                again.pollOnce(Duration.ofMillis(200));
                return again.caughtUp();
            });
            again.rewindAssigned();
            await().atMost(BOUND).until(() -> {
                again.pollOnce(Duration.ofMillis(200));
                return again.caughtUp();
            });
            // the order's two events from the start and their two replayed copies, at least, were skipped
            assertThat(again.skipped()).isGreaterThanOrEqualTo(4);
            assertThat(again.applied()).as("nothing in the log was new to this consumer").isZero();
            assertThat(OrderViewStore.open(storeFile).get(key)).hasValue(view);

            // a new event after the redeliveries is applied as usual
            assertThat(stack.api.changeStatus(tenant, orderId, "ship", Api.statusBody("SHIPPED")).statusCode())
                    .isEqualTo(200);
            await().atMost(BOUND).until(() -> {
                again.pollOnce(Duration.ofMillis(200));
                return OrderViewStore.open(storeFile).get(key).orElseThrow().lastSequence() == 3;
            });
        }
        OrderView shipped = OrderViewStore.open(storeFile).get(key).orElseThrow();
        assertThat(shipped.status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(shipped.lastSequence()).isEqualTo(3);
        assertThat(afterFirstRun).contains(key);
    }

    private static String placeAndProcess(String tenant) throws Exception {
        HttpResponse<String> placed = stack.api.placeOrder(tenant, "place", Api.placeBody("c-1"));
        assertThat(placed.statusCode()).isEqualTo(201);
        String orderId = JsonMapper.builder().build().readTree(placed.body()).get("orderId").asString();
        assertThat(stack.api.changeStatus(tenant, orderId, "pick", Api.statusBody("PROCESSING")).statusCode())
                .isEqualTo(200);
        return orderId;
    }

    /** Writes the order's events to the log again, byte for byte, as an operator's replay would. */
    private static void replay(String key) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> originals = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(Topics.EVENTS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            await().atMost(BOUND).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        originals.add(record);
                    }
                });
                return partitions.stream().allMatch(p -> reader.position(p) >= end.get(p));
            });
        }
        assertThat(originals).hasSize(2);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> record : originals) {
                producer.send(new ProducerRecord<>(record.topic(), null, record.key(), record.value(),
                        record.headers())).get();
            }
        }
    }
}
