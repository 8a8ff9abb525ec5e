package io.orderstream.local;

import io.orderstream.local.Infrastructure.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The whole system for end-to-end tests, started once per test JVM and shared by every test
 * class: a real broker and a real PostgreSQL ({@link Infrastructure} decides which), the processor
 * and the API. Tests keep apart by using tenants of their own.
 */
public final class TestStack {

    /** The one browser origin the API allows in tests. */
    public static final String CORS_ORIGIN = "https://shop.example.test";

    private static TestStack instance;

    public final String bootstrapServers;
    public final String jdbcUrl;
    public final String dbUser;
    public final String dbPassword;
    public final String jwtSecret;
    public final Services services;
    public final Api api;

    private TestStack(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword, String jwtSecret,
            Services services) {
        this.bootstrapServers = bootstrapServers;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.jwtSecret = jwtSecret;
        this.services = services;
        this.api = new Api("http://localhost:" + services.apiPort(), jwtSecret);
    }

    public static synchronized TestStack get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** A tenant no other test uses. */
    public static String newTenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static TestStack start() {
        try {
            Map<String, String> env = System.getenv();
            Path work = Files.createTempDirectory("order-stream-it-");
            Closer closer = new Closer();
            Runtime.getRuntime().addShutdownHook(new Thread(closer::closeAll, "test-stack-shutdown"));

            String bootstrap;
            switch (Infrastructure.kafka(env, TestStack::dockerAvailable)) {
                case ENVIRONMENT -> bootstrap = env.get(Infrastructure.KAFKA_ENV);
                case TESTCONTAINERS -> {
                    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
                    kafka.start();
                    closer.add(kafka::stop);
                    bootstrap = kafka.getBootstrapServers();
                }
                default -> {
                    LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
                    closer.add(kafka);
                    bootstrap = kafka.bootstrapServers();
                }
            }

            String url;
            String user;
            String password;
            Source db = Infrastructure.postgres(env, TestStack::dockerAvailable);
            if (db == Source.ENVIRONMENT) {
                url = env.get(Infrastructure.DB_URL_ENV);
                user = env.getOrDefault("ORDERS_TEST_DB_USER", "orders");
                password = env.getOrDefault("ORDERS_TEST_DB_PASSWORD", "orders");
            } else if (db == Source.TESTCONTAINERS) {
                PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
                postgres.start();
                closer.add(postgres::stop);
                url = postgres.getJdbcUrl();
                user = postgres.getUsername();
                password = postgres.getPassword();
            } else {
                LocalPostgres postgres = LocalPostgres.start(0, null);
                closer.add(postgres);
                url = postgres.jdbcUrl();
                user = LocalPostgres.USER;
                password = LocalPostgres.PASSWORD;
            }

            String secret = "it-secret-" + UUID.randomUUID() + UUID.randomUUID();
            Services services = Services.start(new Services.Settings(bootstrap, url, user, password, secret, 0, 0,
                    work.resolve("streams"), Map.of(
                            // generous on slow machines: a 202 where a result was due fails the test that sees it
                            "orders.api.result-timeout", Duration.ofSeconds(15).toString(),
                            "orders.topics.partitions", "3",
                            "orders.api.cors.allowed-origins", CORS_ORIGIN)));
            closer.add(services);
            return new TestStack(bootstrap, url, user, password, secret, services);
        } catch (Exception e) {
            throw new IllegalStateException("the test stack did not start: " + e.getMessage(), e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Closes what was started, last first. */
    private static final class Closer {
        private final java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();

        synchronized void add(AutoCloseable closeable) {
            started.push(closeable);
        }

        synchronized void closeAll() {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    System.err.println("while stopping the test stack: " + e);
                }
            }
        }
    }
}
