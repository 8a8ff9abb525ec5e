package io.orderstream.local;

import io.orderstream.events.TopicDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The production topology of the README on this machine, for the fault tests: a three-broker KRaft
 * cluster ({@link LocalCluster}: replication factor 3, {@code min.insync.replicas=2}, the
 * transaction state log at 3/2), a real PostgreSQL, two processor instances with one standby
 * replica each and two API instances, every service its own JVM from its exec jar, so any of them
 * can be SIGKILLed and started again. Started once per test JVM, as {@link TestStack} is.
 */
public final class ClusterStack {

    /** Partitions of every topic: two per processor instance, so a failover moves a real share. */
    public static final int PARTITIONS = 4;
    /** How long the API waits for a result before it answers 202: short, so failures show as 202s. */
    public static final Duration RESULT_TIMEOUT = Duration.ofSeconds(5);

    private static ClusterStack instance;

    public final LocalCluster cluster;
    /** The brokers' own network, where this machine can make one; {@code null} on loopback. */
    private final BrokerNetwork network;
    public final String jdbcUrl;
    public final String jwtSecret;
    public final Path work;
    private final List<ServiceProcess> processors = new ArrayList<>();
    private final List<ServiceProcess> apis = new ArrayList<>();
    private final List<Api> apiClients = new ArrayList<>();
    private LocalPostgres postgres;
    private boolean stopped;

    private ClusterStack(LocalCluster cluster, BrokerNetwork network, String jdbcUrl, String jwtSecret, Path work) {
        this.cluster = cluster;
        this.network = network;
        this.jdbcUrl = jdbcUrl;
        this.jwtSecret = jwtSecret;
        this.work = work;
    }

    public static synchronized ClusterStack get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static ClusterStack start() {
        long started = System.nanoTime();
        try {
            Path work = Files.createTempDirectory("order-stream-cluster-");
            CompletableFuture<LocalPostgres> postgres = CompletableFuture.supplyAsync(() -> LocalPostgres.start(0, null));
            // in network namespaces where this machine allows it, so a broker can be cut off from the others
            Optional<String> loopbackOnly = BrokerNetwork.unavailable();
            BrokerNetwork network = loopbackOnly.isEmpty() ? BrokerNetwork.create(3) : null;
            System.out.println("cluster stack: brokers on " + (network == null
                    ? "loopback (" + loopbackOnly.get() + ")" : network));
            LocalCluster cluster = LocalCluster.start(3, 0, work.resolve("kafka"), network);
            LocalPostgres db = postgres.get(120, TimeUnit.SECONDS);
            ClusterStack stack = new ClusterStack(cluster, network, db.jdbcUrl(), "cluster-secret-" + UUID.randomUUID()
                    + UUID.randomUUID(), work);
            stack.postgres = db;
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "cluster-stack-shutdown"));
            stack.createTopics();
            // all four at once: the topics exist, Flyway takes a lock of its own
            List<ServiceProcess> services = List.of(stack.newProcessor("processor-a"), stack.newProcessor("processor-b"),
                    stack.newApi("api-x"), stack.newApi("api-y"));
            services.forEach(ServiceProcess::launch);
            // generous: four Spring Boot JVMs starting at once took 186 s on a 2-core machine at load 36
            // (five builds sharing it)
            services.forEach(service -> service.awaitHealthy(Duration.ofSeconds(300)));
            System.out.printf("cluster stack: 3 brokers, 2 processors, 2 APIs up in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            return stack;
        } catch (Exception e) {
            throw new IllegalStateException("the cluster stack did not start: " + e.getMessage(), e);
        }
    }

    /** The topics as the services declare them, with replication factor 3, before any service starts. */
    private void createTopics() throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(TopicDefinitions.all(PARTITIONS, (short) 3)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** A processor instance (not started): one standby replica, replication factor 3 everywhere. */
    public ServiceProcess newProcessor(String name) {
        int port = LocalKafka.freePort();
        Map<String, String> env = Map.ofEntries(
                Map.entry("ORDERS_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers()),
                Map.entry("ORDERS_DB_URL", jdbcUrl),
                Map.entry("ORDERS_DB_USER", LocalPostgres.USER),
                Map.entry("ORDERS_DB_PASSWORD", LocalPostgres.PASSWORD),
                Map.entry("ORDERS_PROCESSOR_PORT", Integer.toString(port)),
                Map.entry("ORDERS_STREAMS_STATE_DIR", work.resolve("streams-" + name).toString()),
                Map.entry("ORDERS_TOPIC_PARTITIONS", Integer.toString(PARTITIONS)),
                Map.entry("ORDERS_TOPIC_REPLICATION_FACTOR", "3"),
                Map.entry("ORDERS_STREAMS_REPLICATION_FACTOR", "3"),
                Map.entry("ORDERS_STREAMS_STANDBY_REPLICAS", "1"));
        ServiceProcess processor = new ServiceProcess(name, "order-processor", env, work, port);
        processors.add(processor);
        return processor;
    }

    private ServiceProcess newApi(String name) {
        int port = LocalKafka.freePort();
        int management = LocalKafka.freePort();
        ServiceProcess api = new ServiceProcess(name, "order-api", Map.ofEntries(
                Map.entry("ORDERS_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers()),
                Map.entry("ORDERS_DB_URL", jdbcUrl),
                Map.entry("ORDERS_DB_USER", LocalPostgres.USER),
                Map.entry("ORDERS_DB_PASSWORD", LocalPostgres.PASSWORD),
                Map.entry("SERVER_PORT", Integer.toString(port)),
                Map.entry("ORDERS_API_MANAGEMENT_PORT", Integer.toString(management)),
                Map.entry("ORDERS_JWT_SECRET", jwtSecret),
                Map.entry("ORDERS_RESULT_TIMEOUT", RESULT_TIMEOUT.toString()),
                Map.entry("ORDERS_TOPIC_PARTITIONS", Integer.toString(PARTITIONS)),
                Map.entry("ORDERS_TOPIC_REPLICATION_FACTOR", "3")), work, management);
        apis.add(api);
        apiClients.add(new Api("http://localhost:" + port, jwtSecret));
        return api;
    }

    /** The processor instances started so far, in order (a, b, and any a test added). */
    public List<ServiceProcess> processors() {
        return List.copyOf(processors);
    }

    /** The two API instances, x and y. */
    public List<ServiceProcess> apis() {
        return List.copyOf(apis);
    }

    /** A storefront's client of API instance {@code index} (0: x, 1: y). */
    public Api api(int index) {
        return apiClients.get(index);
    }

    /**
     * Stops this JVM's cluster stack (the next {@link #get} starts a new one): seven JVMs left idle
     * would slow the tests that run after the cluster's.
     */
    public static synchronized void stop() {
        if (instance != null) {
            instance.stopAll();
            instance = null;
        }
    }

    private synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        processors.forEach(ServiceProcess::kill);
        apis.forEach(ServiceProcess::kill);
        cluster.close();
        if (network != null) {
            network.close();
        }
        try {
            postgres.close();
        } catch (Exception e) {
            System.err.println("while stopping PostgreSQL: " + e);
        }
    }

    public Evidence evidence() {
        return new Evidence(cluster.bootstrapServers(), jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
    }
}
