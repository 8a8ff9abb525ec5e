package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The API's reader of command results cannot go deaf: it survives a result it cannot handle and a
 * broker that goes away and comes back, health shows {@code results} DOWN while it cannot read,
 * and on SIGTERM it keeps reading until the web server has drained the requests in flight.
 *
 * <p>A broker and a PostgreSQL of its own, since it stops the broker.
 */
class ResultReaderIT {

    private static final String SECRET = "it-secret-" + UUID.randomUUID() + UUID.randomUUID();
    private static Path work;
    private static int kafkaPort;
    private static LocalKafka kafka;
    private static LocalPostgres postgres;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        work = Files.createTempDirectory("order-stream-result-reader-");
        kafkaPort = LocalKafka.freePort();
        kafka = LocalKafka.start(kafkaPort, work.resolve("kafka"));
        postgres = LocalPostgres.start(0, null);
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void readerSurvivesAnUnhandledResultAndABrokerRestart_andHealthIsDownOnlyWhileItCannotRead() throws Exception {
        String tenant = TestStack.newTenant();
        try (Services services = Services.start(settings(Map.of(
                "orders.api.results.unreachable-after", "2s", "orders.api.results.max-backoff", "1s")))) {
            Api api = new Api("http://localhost:" + services.apiPort(), SECRET);
            // health and metrics are on the management port
            Api management = new Api("http://localhost:" + services.apiManagementPort(), SECRET);
            assertThat(api.placeOrder(tenant, "before", Api.placeBody("c-1")).statusCode()).isEqualTo(201);

            // a result no request can be matched to (no requestId): skipped, the reader goes on
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(Topics.COMMAND_RESULTS.name(), tenant + "/o-x",
                        Json.write(new CommandResult(SchemaVersions.RESULT, null, "c", tenant, "o-x",
                                CommandResult.Outcome.REJECTED, 409, null,
                                ProblemType.INVALID_TRANSITION.problem("test"), false, Instant.now())))).get();
            }
            HttpResponse<String> after = api.placeOrder(tenant, "after-unhandled", Api.placeBody("c-2"));
            assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
            assertHealth(management, 200, "UP");

            // the broker goes away: the reader cannot read, and health says so
            kafka.close();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> health(management, "/actuator/health/results").statusCode() == 503);
                assertHealth(management, 503, "DOWN");
            } finally {
                kafka = LocalKafka.start(kafkaPort, work.resolve("kafka"));
            }

            // back: UP again, and commands get their answers
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health(management, "/actuator/health/results").statusCode() == 200);
            HttpResponse<String> recovered = api.placeOrder(tenant, "after-restart", Api.placeBody("c-3"));
            assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(201);
            assertHealth(management, 200, "UP");
            String metrics = management.send(management.request("/actuator/prometheus").GET().build()).body();
            assertThat(metrics).contains("orders_results_reader_up 1.0");
            assertThat(metrics).containsPattern("orders_results_reader_restarts_total [1-9]");
        }
    }

    @Test
    void sigterm_withCommandsWaiting_drainsThem_withTheirRealAnswers() throws Exception {
        String tenant = TestStack.newTenant();
        int port = LocalKafka.freePort();
        Process apiProcess = startApiProcess(port);
        Api api = new Api("http://localhost:" + port, SECRET);
        HttpClient http = HttpClient.newHttpClient();
        ConfigurableApplicationContext processor = null;
        try {
            // no processor yet: the commands wait for their results
            List<CompletableFuture<HttpResponse<String>>> waiting = List.of(
                    http.sendAsync(slow(api.command("POST", "/api/v1/orders", tenant, "drain-1", Api.placeBody("c-1"))),
                            HttpResponse.BodyHandlers.ofString()),
                    http.sendAsync(slow(api.command("POST", "/api/v1/orders", tenant, "drain-2", Api.placeBody("c-2"))),
                            HttpResponse.BodyHandlers.ofString()));
            Evidence evidence = new Evidence(kafka.bootstrapServers(), postgres.jdbcUrl(), LocalPostgres.USER,
                    LocalPostgres.PASSWORD);
            await().atMost(Duration.ofSeconds(30)).until(() -> evidence.readTopic(Topics.COMMANDS.name()).stream()
                    .map(record -> Json.read(record.value(), CommandEnvelope.class))
                    .filter(command -> command.tenantId().equals(tenant)).count() == 2);

            apiProcess.destroy(); // SIGTERM, as a deployment sends it
            processor = Services.startProcessor(settings(Map.of()));

            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            }
            assertThat(apiProcess.waitFor(60, TimeUnit.SECONDS)).as("the API stopped by itself").isTrue();
            // the JVM's status after a SIGTERM whose shutdown completed (128 + 15); a forced stop differs
            assertThat(apiProcess.exitValue()).isEqualTo(143);
            assertThat(Files.readString(work.resolve("api.log"))).contains("Graceful shutdown complete");
        } finally {
            apiProcess.destroyForcibly();
            if (processor != null) {
                processor.close();
            }
        }
    }

    private static HttpRequest slow(HttpRequest request) {
        return HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(150)).build();
    }

    private static Process startApiProcess(int port) throws Exception {
        int managementPort = LocalKafka.freePort();
        return ServiceJvm.start("order-api", Map.of("ORDERS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "ORDERS_DB_URL", postgres.jdbcUrl(), "ORDERS_DB_USER", LocalPostgres.USER,
                "ORDERS_DB_PASSWORD", LocalPostgres.PASSWORD, "ORDERS_JWT_SECRET", SECRET,
                "SERVER_PORT", Integer.toString(port), "ORDERS_API_MANAGEMENT_PORT", Integer.toString(managementPort),
                "ORDERS_TOPIC_PARTITIONS", "3",
                // long enough for a processor to start while the commands wait, on a loaded machine
                "ORDERS_RESULT_TIMEOUT", "120s", "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE", "120s"),
                work.resolve("api.log"), managementPort);
    }

    private static Services.Settings settings(Map<String, String> extra) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(extra);
        all.put("orders.topics.partitions", "3");
        all.put("orders.api.result-timeout", "20s");
        return new Services.Settings(kafka.bootstrapServers(), postgres.jdbcUrl(), LocalPostgres.USER,
                LocalPostgres.PASSWORD, SECRET, 0, 0, Files.createTempDirectory(work, "streams-"), all);
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static HttpResponse<String> health(Api api, String path) {
        return api.send(api.request(path).GET().build());
    }

    private static void assertHealth(Api api, int status, String results) {
        HttpResponse<String> overall = health(api, "/actuator/health");
        assertThat(overall.statusCode()).as(overall.body()).isEqualTo(status);
        assertThat(health(api, "/actuator/health/results").body()).contains("\"status\":\"" + results + "\"");
    }
}
