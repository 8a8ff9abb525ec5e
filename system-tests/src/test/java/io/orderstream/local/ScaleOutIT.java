package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.EventEnvelope;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Two processor instances (one standby replica each) and two API instances on a deployment of
 * their own: replies reach the instance that waits, and when a processor goes away its partitions
 * move to the other, which still replays what was answered before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    private static final List<AutoCloseable> STARTED = new ArrayList<>();
    private static ConfigurableApplicationContext processorA;
    private static ConfigurableApplicationContext processorB;
    private static Api apiX;
    private static Api apiY;
    private static Evidence evidence;
    private static final String TENANT = TestStack.newTenant();

    @BeforeAll
    static void deploy() throws Exception {
        Path work = Files.createTempDirectory("order-stream-scale-out-");
        LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
        STARTED.add(kafka);
        LocalPostgres postgres = LocalPostgres.start(0, null);
        STARTED.add(postgres);
        String secret = "scale-out-secret-" + UUID.randomUUID();
        Map<String, String> extra = Map.of("orders.topics.partitions", "4",
                "spring.kafka.streams.properties[num.standby.replicas]", "1",
                "orders.api.result-timeout", "15s");
        processorA = Services.startProcessor(settings(kafka, postgres, secret, work.resolve("state-a"), extra));
        STARTED.add(processorA);
        processorB = Services.startProcessor(settings(kafka, postgres, secret, work.resolve("state-b"), extra));
        STARTED.add(processorB);
        ConfigurableApplicationContext x = Services.startApi(settings(kafka, postgres, secret, null, extra));
        STARTED.add(x);
        ConfigurableApplicationContext y = Services.startApi(settings(kafka, postgres, secret, null, extra));
        STARTED.add(y);
        apiX = new Api("http://localhost:" + Services.port(x), secret);
        apiY = new Api("http://localhost:" + Services.port(y), secret);
        evidence = new Evidence(kafka.bootstrapServers(), postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    @AfterAll
    static void undeploy() throws Exception {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            STARTED.get(i).close();
        }
    }

    @Test
    @Order(1)
    void everyReply_reachesTheApiInstanceWhoseClientWaits() {
        for (int i = 0; i < 20; i++) {
            Api api = i % 2 == 0 ? apiX : apiY;
            HttpResponse<String> placed = api.placeOrder(TENANT, "two-apis-" + i, Api.placeBody("c-" + i));
            // a reply delivered to the other instance would leave this one waiting: 202
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            assertThat(placed.body()).contains("\"customerId\":\"c-" + i + "\"");
        }
    }

    @Test
    @Order(2)
    void whenAProcessorGoesAway_commandsKeepFlowing_andEarlierAnswersAreStillReplayed() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(activeTasks(processorA)).as("instance A has partitions").isPositive();
            assertThat(activeTasks(processorB)).as("instance B has partitions").isPositive();
        });
        List<HttpResponse<String>> before = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            before.add(apiX.placeOrder(TENANT, "before-" + i, Api.placeBody("c-" + i)));
            assertThat(before.get(i).statusCode()).isEqualTo(201);
        }

        processorA.close();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(activeTasks(processorB)).isEqualTo(4));

        for (int i = 0; i < 12; i++) {
            HttpResponse<String> again = apiY.placeOrder(TENANT, "before-" + i, Api.placeBody("c-" + i));
            assertThat(again.statusCode()).isEqualTo(201);
            assertThat(again.body()).isEqualTo(before.get(i).body());
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> after = apiX.placeOrder(TENANT, "after-" + i, Api.placeBody("c-" + i));
            assertThat(after.statusCode()).isEqualTo(201);
            assertThat(apiY.placeOrder(TENANT, "after-" + i, Api.placeBody("c-" + i)).body()).isEqualTo(after.body());
        }
        Map<String, List<EventEnvelope>> events = evidence.events(TENANT);
        assertThat(events).hasSize(20 + 12 + 12);
        assertThat(events.values()).allSatisfy(history -> assertThat(history).hasSize(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(TENANT)).isEqualTo(evidence.foldOfEvents(TENANT)));
    }

    private static int activeTasks(ConfigurableApplicationContext processor) {
        KafkaStreams streams = processor.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return 0;
        }
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks).mapToInt(java.util.Set::size)
                .sum();
    }

    private static Services.Settings settings(LocalKafka kafka, LocalPostgres postgres, String secret, Path stateDir,
            Map<String, String> extra) {
        return new Services.Settings(kafka.bootstrapServers(), postgres.jdbcUrl(), LocalPostgres.USER,
                LocalPostgres.PASSWORD, secret, 0, 0, stateDir, extra);
    }
}
