package io.orderstream.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The whole system on this machine: a KRaft Kafka broker, PostgreSQL, the processor and the API,
 * all real, in one JVM. {@code ./run-local.sh} builds and starts it; Ctrl-C stops everything.
 *
 * <p>Data (broker log, PostgreSQL, Streams state) stays in {@code ORDERS_LOCAL_DIR} across runs;
 * {@code --reset} removes it first.
 *
 * <p>Environment: {@code SERVER_PORT} (8080), {@code ORDERS_API_MANAGEMENT_PORT} (8090, the API's
 * health and metrics), {@code ORDERS_PROCESSOR_PORT} (8081, the processor's health and metrics),
 * {@code ORDERS_KAFKA_PORT} (9092), {@code ORDERS_PG_PORT} (5432), {@code ORDERS_JWT_SECRET}
 * (a documented development secret), {@code ORDERS_LOCAL_DIR} (.local).
 *
 * <p>{@code --observability} also starts Prometheus ({@link LocalPrometheus}, on
 * {@code ORDERS_PROMETHEUS_PORT}, 9090) scraping both services with the project's alert rules.
 *
 * <p>{@code --brokers 3} runs the system on a three-node KRaft cluster ({@link LocalCluster}: each
 * broker its own JVM, on {@code ORDERS_KAFKA_PORT} and the two ports after it) with the production
 * replication settings, instead of the single in-process broker.
 */
public final class LocalStack {

    private static final String LOG_CONFIG = "order-stream-local-logback.xml";
    private static final String USAGE = "Usage: ./run-local.sh [--reset] [--observability] [--brokers 1|3]";
    /** deploy/prometheus/alerts.yml, packed into the jar by the build. */
    private static final String ALERT_RULES = "prometheus/alerts.yml";

    /** The development secret, documented in the README. Never use it anywhere that matters. */
    public static final String DEV_JWT_SECRET = "order-stream-local-development-secret-not-for-production";

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        boolean reset = false;
        boolean observability = false;
        int brokers = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reset" -> reset = true;
                case "--observability" -> observability = true;
                case "--brokers" -> {
                    String count = i + 1 < args.length ? args[++i] : "";
                    if (!count.equals("1") && !count.equals("3")) {
                        System.err.printf("order-stream: --brokers takes 1 (one in-process broker, the default) or 3 "
                                + "(a cluster, each broker its own JVM), was '%s'. %s%n", count, USAGE);
                        System.exit(2);
                    }
                    brokers = Integer.parseInt(count);
                }
                default -> {
                    System.err.printf("order-stream: unknown argument '%s'. %s%n", args[i], USAGE);
                    System.exit(2);
                }
            }
        }
        if (observability && LocalPrometheus.onPath("prometheus").isEmpty()) {
            System.err.printf("order-stream: --observability needs Prometheus, which is not installed: %s.%n",
                    LocalPrometheus.INSTALL_HINT);
            System.exit(2);
        }
        int apiPort = port("SERVER_PORT", 8080);
        int apiManagementPort = port("ORDERS_API_MANAGEMENT_PORT", 8090);
        int processorPort = port("ORDERS_PROCESSOR_PORT", 8081);
        int kafkaPort = port("ORDERS_KAFKA_PORT", 9092);
        int pgPort = port("ORDERS_PG_PORT", 5432);
        int prometheusPort = observability ? port("ORDERS_PROMETHEUS_PORT", 9090) : 0;
        String secret = env("ORDERS_JWT_SECRET", DEV_JWT_SECRET);
        Path localDir = Path.of(env("ORDERS_LOCAL_DIR", ".local")).toAbsolutePath();
        Path logs = localDir.resolve("logs");
        // before anything logs: each component to its own file
        System.setProperty("ORDERS_LOG_DIR", logs.toString());
        System.setProperty("logback.configurationFile", LOG_CONFIG);
        LoggerFactory.getILoggerFactory(); // logback reads it now; Spring Boot reads logging.config later
        System.clearProperty("logback.configurationFile");
        System.setProperty("logging.config", "classpath:" + LOG_CONFIG);

        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("API (SERVER_PORT)", apiPort);
        ports.put("API's health and metrics (ORDERS_API_MANAGEMENT_PORT)", apiManagementPort);
        ports.put("processor (ORDERS_PROCESSOR_PORT)", processorPort);
        ports.put("Kafka (ORDERS_KAFKA_PORT)", kafkaPort);
        for (int node = 2; node <= brokers; node++) {
            ports.put("Kafka broker " + node + " (ORDERS_KAFKA_PORT + " + (node - 1) + ")", kafkaPort + node - 1);
        }
        ports.put("PostgreSQL (ORDERS_PG_PORT)", pgPort);
        if (observability) {
            ports.put("Prometheus (ORDERS_PROMETHEUS_PORT)", prometheusPort);
        }
        if (new java.util.HashSet<>(ports.values()).size() < ports.size()) {
            System.err.printf("order-stream: two of these ports are the same: %s. Choose a port of its own for "
                    + "each.%n", ports);
            System.exit(2);
        }
        for (Map.Entry<String, Integer> wanted : ports.entrySet()) {
            if (!isFree(wanted.getValue())) {
                System.err.printf("order-stream: port %d for the %s is taken. Stop what uses it, or choose another "
                        + "port with that variable.%n", wanted.getValue(), wanted.getKey());
                System.exit(2);
            }
        }
        Path kafkaData = localDir.resolve("kafka");
        Path clusterData = localDir.resolve("cluster");
        Path pgData = localDir.resolve("postgres");
        Path stateDir = localDir.resolve("streams");
        Path prometheusDir = localDir.resolve("prometheus");
        if (reset) {
            say("--reset: removing the data in %s", localDir);
            for (Path data : List.of(kafkaData, kafkaData.resolveSibling("kafka.controller-port"), clusterData, pgData,
                    stateDir,
                    prometheusDir, logs)) {
                deleteQuietly(data);
            }
        }
        Files.createDirectories(logs);
        boolean existing = Files.exists(brokers == 1 ? kafkaData.resolve("meta.properties") : clusterData.resolve("ports"));
        say("data in %s (%s); logs in %s: kafka.log, postgres.log, processor.log, api.log, services.log%s", localDir,
                existing ? "kept from the last run; --reset starts afresh" : "new", logs,
                brokers == 1 ? "" : "; the brokers' in " + clusterData + "/node-<id>.log");

        AutoCloseable kafka;
        String bootstrapServers;
        if (brokers == 1) {
            say("starting Kafka (KRaft) on localhost:%d ...", kafkaPort);
            LocalKafka broker = LocalKafka.start(kafkaPort, kafkaData);
            kafka = broker;
            bootstrapServers = broker.bootstrapServers();
        } else {
            say("starting a Kafka cluster of %d brokers (KRaft, each its own JVM; replication factor 3, "
                    + "min.insync.replicas 2) on localhost:%d-%d ...", brokers, kafkaPort, kafkaPort + brokers - 1);
            LocalCluster cluster = LocalCluster.start(brokers, kafkaPort, clusterData);
            kafka = cluster;
            bootstrapServers = cluster.bootstrapServers();
        }
        say("starting PostgreSQL on localhost:%d ...", pgPort);
        LocalPostgres postgres = LocalPostgres.start(pgPort, pgData);
        say("starting the processor and the API ...");
        Services services = Services.start(new Services.Settings(bootstrapServers, postgres.jdbcUrl(),
                LocalPostgres.USER, LocalPostgres.PASSWORD, secret, apiPort, apiManagementPort, processorPort, stateDir,
                Map.of()));
        LocalPrometheus prometheus = null;
        if (observability) {
            say("starting Prometheus on 127.0.0.1:%d ...", prometheusPort);
            Path rules = prometheusDir.resolve("alerts.yml");
            Files.createDirectories(prometheusDir);
            try (var in = LocalStack.class.getClassLoader().getResourceAsStream(ALERT_RULES)) {
                Files.copy(java.util.Objects.requireNonNull(in, ALERT_RULES), rules,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                prometheus = LocalPrometheus.start(new LocalPrometheus.Settings(rules, prometheusDir,
                        logs.resolve("prometheus.log"), prometheusPort, services.apiManagementPort(),
                        services.processorPort(), Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                System.err.printf("order-stream: Prometheus did not start: %s%n", e.getMessage());
                closeQuietly(services);
                closeQuietly(kafka);
                closeQuietly(postgres);
                System.exit(1);
            }
        }
        LocalPrometheus observer = prometheus;

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("stopping ...");
            if (observer != null) {
                closeQuietly(observer);
            }
            closeQuietly(services);
            closeQuietly(kafka);
            closeQuietly(postgres);
            say("stopped; the data stays in %s (./run-local.sh --reset removes it).", localDir);
            stopped.countDown();
        }, "local-stack-shutdown"));

        Map<String, String> tokens = new LinkedHashMap<>();
        for (String tenant : new String[] {"acme", "globex"}) {
            tokens.put(tenant, DevTokens.mint(secret, tenant, Duration.ofHours(12)));
        }
        Path tokenFile = localDir.resolve("tokens.env");
        StringBuilder env = new StringBuilder();
        tokens.forEach((tenant, token) -> env.append(tenant.toUpperCase()).append("_TOKEN=").append(token).append('\n'));
        Files.writeString(tokenFile, env);

        String base = "http://localhost:" + services.apiPort();
        System.out.printf("""

                Order Stream is up (%.1f s).
                  API         %s
                              health and metrics: http://localhost:%d/actuator/health, /actuator/prometheus
                  processor   health and metrics: http://localhost:%d/actuator/health, /actuator/prometheus
                  Kafka       %s
                  PostgreSQL  %s (user %s)%s

                Demo tokens (HS256, valid 12 h; also in %s):
                  acme    %s
                  globex  %s

                Try it:
                  TOKEN=%s
                  curl -i -X POST %s/api/v1/orders \\
                    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                    -H 'Idempotency-Key: demo-order-1' \\
                    -d '{"customerId":"c-42","currency":"EUR","lines":[{"sku":"BOOK-1","quantity":2,"unitPriceMinor":1999}]}'

                Press Ctrl-C to stop.
                """, (System.nanoTime() - started) / 1e9, base, services.apiManagementPort(), services.processorPort(),
                bootstrapServers, postgres.jdbcUrl(), LocalPostgres.USER, observer == null ? ""
                        : "\n  Prometheus  " + observer.url() + " (the alert rules of deploy/prometheus/alerts.yml)",
                tokenFile, tokens.get("acme"),
                tokens.get("globex"), tokens.get("acme"), base);
        stopped.await();
    }

    private static int port(String variable, int fallback) {
        String value = env(variable, Integer.toString(fallback));
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.printf("order-stream: %s must be a port number (1-65535), was '%s'.%n", variable, value);
            System.exit(2);
            return -1;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf("order-stream: " + format + "%n", args);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("order-stream: while stopping: " + e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
