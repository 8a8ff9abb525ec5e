package io.orderstream.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster on this machine: {@code n} KRaft nodes, each {@code kafka.Kafka} from the
 * Maven jars in a JVM of its own (small heap), so a test can SIGKILL one broker and start it again
 * on the same log directory, as a machine dies and comes back.
 *
 * <p>Every node is broker and controller at once (combined mode): three JVMs instead of six on a
 * small machine, and the controller quorum of three survives the loss of any one node, just as the
 * brokers' replicas do. A production cluster may separate them (so a busy broker never delays the
 * quorum); the failures the system sees from its clients are the same.
 *
 * <p>The replication settings are the production ones the README gives: replication factor 3 for
 * every topic (the default for topics created without one), {@code min.insync.replicas=2}, the
 * offsets topic at 3 and the transaction state log at 3 with a minimum ISR of 2. Acks-all producers
 * (the API's, the exactly-once processor's) so keep writing with one broker down, and no
 * acknowledged record is lost when one dies.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}): the ports are chosen once and kept in
 * {@code ports} beside the nodes' data, so a cluster started again on the same directory is the
 * same cluster.
 */
public final class LocalCluster implements AutoCloseable {

    /** Heap of each broker JVM: enough for the test and local loads, small beside the services. */
    static final String BROKER_HEAP = "-Xmx320m";

    private final List<NodeProcess> nodes;
    private final BrokerNetwork network;

    private LocalCluster(List<NodeProcess> nodes, BrokerNetwork network) {
        this.nodes = nodes;
        this.network = network;
    }

    /**
     * Starts {@code size} nodes and waits (bounded) until every one is registered.
     *
     * @param firstPort the first node's client port, the next ones following it; 0 for free ports
     * @param dir       the cluster's data: a directory per node, formatted when new, kept across
     *                  restarts, and the node logs ({@code node-<id>.log})
     */
    public static LocalCluster start(int size, int firstPort, Path dir) {
        return start(size, firstPort, dir, null);
    }

    /**
     * As {@link #start(int, int, Path)}, each node in its namespace of {@code network} (its listeners
     * on the network's addresses, so one can be cut off: {@link #isolate}), or on loopback when
     * {@code network} is {@code null}. A directory belongs to the network it was formatted on.
     */
    public static LocalCluster start(int size, int firstPort, Path dir, BrokerNetwork network) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, was " + size);
        }
        try {
            Files.createDirectories(dir);
            int[][] ports = ports(size, firstPort, dir);
            String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@" + brokerHost(network, i + 1) + ":"
                    + ports[i][1]).collect(Collectors.joining(","));
            String clusterId = clusterId(dir);
            List<NodeProcess> nodes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int id = i + 1;
                Properties config = config(id, ports[i][0], ports[i][1], voters, size, dir.resolve("node-" + id),
                        network == null ? null : network.clientAddress(id), brokerHost(network, id));
                nodes.add(new NodeProcess(id, network == null ? "localhost" : network.clientAddress(id), ports[i][0],
                        network == null ? List.of() : network.exec(id), config, dir));
            }
            for (NodeProcess node : nodes) {
                node.format(clusterId);
            }
            LocalCluster cluster = new LocalCluster(nodes, network);
            try {
                for (NodeProcess node : nodes) {
                    node.start();
                }
                cluster.awaitBrokers(size, Duration.ofSeconds(120));
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("the Kafka cluster did not start: " + e.getMessage(), e);
        }
    }

    /** The replication listener's port on a {@link BrokerNetwork}, the same in every node's namespace. */
    private static final int REPLICATION_PORT = 9093;

    private static String brokerHost(BrokerNetwork network, int id) {
        return network == null ? "localhost" : network.brokerAddress(id);
    }

    /**
     * @param clientHost the client listener's address on a {@link BrokerNetwork}, where clients and
     *                   brokers take different networks; {@code null} on loopback, where one
     *                   listener serves both
     * @param brokerHost the controller's (and on a network the replication listener's) address
     */
    private static Properties config(int id, int clientPort, int controllerPort, String voters, int size,
            Path logDir, String clientHost, String brokerHost) {
        String replicas = Integer.toString(Math.min(3, size));
        String minIsr = Integer.toString(Math.max(1, Math.min(3, size) - 1));
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(id));
        config.put("controller.quorum.voters", voters);
        config.put("controller.listener.names", "CONTROLLER");
        if (clientHost == null) {
            config.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
            config.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
            config.put("inter.broker.listener.name", "PLAINTEXT");
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            // clients on the client network; replication and the quorum on the broker network
            // (Kafka wants a port per listener; the namespace's ports are its own, and ephemeral
            // ports, which the others take, start far above this one)
            config.put("listeners", "PLAINTEXT://" + clientHost + ":" + clientPort + ",REPLICATION://" + brokerHost + ":"
                    + REPLICATION_PORT + ",CONTROLLER://" + brokerHost + ":" + controllerPort);
            config.put("advertised.listeners", "PLAINTEXT://" + clientHost + ":" + clientPort + ",REPLICATION://"
                    + brokerHost + ":" + REPLICATION_PORT);
            config.put("inter.broker.listener.name", "REPLICATION");
            config.put("listener.security.protocol.map",
                    "PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        config.put("log.dirs", logDir.toAbsolutePath().toString());
        config.put("auto.create.topics.enable", "false");
        config.put("num.partitions", "1");
        // the production settings (README, "Running in production")
        config.put("default.replication.factor", replicas);
        config.put("min.insync.replicas", minIsr);
        config.put("offsets.topic.replication.factor", replicas);
        config.put("transaction.state.log.replication.factor", replicas);
        config.put("transaction.state.log.min.isr", minIsr);
        config.put("share.coordinator.state.topic.replication.factor", replicas);
        config.put("share.coordinator.state.topic.min.isr", minIsr);
        config.put("unclean.leader.election.enable", "false");
        // a small machine: few threads per broker, no delay for the first consumer group
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "2");
        config.put("num.replica.fetchers", "1");
        config.put("background.threads", "2");
        config.put("group.initial.rebalance.delay.ms", "0");
        // 50 partitions each by default: on one small machine, a broker that starts again loads and
        // catches up 100 partitions of coordinator logs before it is in sync. A handful is plenty for
        // a few groups and transactional producers (the replication settings above stay as in production)
        config.put("offsets.topic.num.partitions", "6");
        config.put("transaction.state.log.num.partitions", "6");
        config.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        return config;
    }

    /** Client and controller port per node: chosen once, then read back from {@code ports}. */
    private static int[][] ports(int size, int firstPort, Path dir) throws IOException {
        Path file = dir.resolve("ports");
        int[][] ports = new int[size][2];
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() != size) {
                throw new IllegalStateException(dir + " holds a cluster of " + lines.size() + " nodes, not " + size
                        + ": start it with that size, or remove the directory");
            }
            for (int i = 0; i < size; i++) {
                String[] pair = lines.get(i).trim().split(" ");
                ports[i][0] = Integer.parseInt(pair[0]);
                ports[i][1] = Integer.parseInt(pair[1]);
            }
            if (firstPort > 0 && ports[0][0] != firstPort) {
                throw new IllegalStateException(dir + " holds a cluster on port " + ports[0][0] + ", not " + firstPort
                        + ": its quorum is formatted with its ports; use them, or remove the directory");
            }
            return ports;
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < size; i++) {
            ports[i][0] = firstPort > 0 ? firstPort + i : LocalKafka.freePort();
            ports[i][1] = LocalKafka.freePort();
            lines.append(ports[i][0]).append(' ').append(ports[i][1]).append('\n');
        }
        Files.writeString(file, lines);
        return ports;
    }

    private static String clusterId(Path dir) throws IOException {
        Path file = dir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    /** Every node's client address, comma-separated: what clients bootstrap from. */
    public String bootstrapServers() {
        return nodes.stream().map(node -> node.host + ":" + node.port).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    /** The node ids, 1 to {@link #size()}. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(node -> node.id).toList();
    }

    public int clientPort(int nodeId) {
        return node(nodeId).port;
    }

    public boolean isRunning(int nodeId) {
        return node(nodeId).isAlive();
    }

    /** SIGKILL: no controlled shutdown, no flush; the node's partitions lose their leader at once. */
    public void kill(int nodeId) {
        node(nodeId).kill();
    }

    /** SIGTERM and wait: a controlled shutdown that moves the node's leaderships first. */
    public void stop(int nodeId) {
        node(nodeId).stop();
    }

    /** Whether the nodes run in a {@link BrokerNetwork}, so that one can be cut off from the others. */
    public boolean partitionable() {
        return network != null;
    }

    /**
     * Cuts the node off from the other nodes (the controller quorum and replication); clients still
     * reach it: a partial partition, as a broken switch port between brokers makes one.
     */
    public void isolate(int nodeId) {
        requireNetwork().isolate(node(nodeId).id);
    }

    /** Joins a node cut off by {@link #isolate} to the others again. */
    public void heal(int nodeId) {
        requireNetwork().heal(node(nodeId).id);
    }

    private BrokerNetwork requireNetwork() {
        if (network == null) {
            throw new IllegalStateException("this cluster runs on loopback: start it in a BrokerNetwork to cut nodes off");
        }
        return network;
    }

    /** Starts a stopped or killed node again on its log directory and ports. */
    public void restart(int nodeId) {
        NodeProcess node = node(nodeId);
        if (node.isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is running");
        }
        node.start();
    }

    /** Waits (bounded) until {@code count} brokers are registered and unfenced. */
    public void awaitBrokers(int count, Duration bound) {
        // the ports first: an admin client asked before they listen logs a warning per attempt
        awaitCondition(bound, "the brokers' ports listen", () -> nodes.stream().filter(NodeProcess::isAlive)
                .filter(node -> listens(node.host, node.port)).count() >= count);
        awaitCondition(bound, "the cluster has " + count + " brokers", () -> {
            try (Admin admin = admin()) {
                return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Waits (bounded) until every partition of every topic has all its replicas in sync. First every
     * running node must have caught up with the metadata log ({@link #awaitMetadataCaughtUp}): one
     * that was stopped or cut off answers from its own old view, in which every replica was in sync.
     */
    public void awaitFullyReplicated(Duration bound) {
        awaitMetadataCaughtUp(bound);
        awaitCondition(bound, "every partition fully replicated", () -> underReplicated().isEmpty());
    }

    /**
     * Waits (bounded) until every running node holds the metadata log up to where the quorum's
     * leader had committed it at the first call: each node answers metadata requests (leaders, ISRs,
     * brokers) from its own copy, which is current only then.
     */
    public void awaitMetadataCaughtUp(Duration bound) {
        long[] committed = {-1};
        awaitCondition(bound, "every node's metadata caught up with the quorum", () -> {
            try (Admin admin = admin()) {
                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(5, TimeUnit.SECONDS);
                if (committed[0] < 0) {
                    committed[0] = quorum.highWatermark();
                }
                List<Integer> running = nodes.stream().filter(NodeProcess::isAlive).map(node -> node.id).toList();
                return quorum.voters().stream().filter(voter -> running.contains(voter.replicaId()))
                        .allMatch(voter -> voter.logEndOffset() >= committed[0]);
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Partitions whose in-sync replicas are fewer than their replicas, as {@code topic-partition}. */
    public List<String> underReplicated() {
        try (Admin admin = admin()) {
            Collection<TopicDescription> topics = admin.describeTopics(
                    admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                            .names().get(10, TimeUnit.SECONDS)).allTopicNames().get(10, TimeUnit.SECONDS).values();
            List<String> under = new ArrayList<>();
            for (TopicDescription topic : topics) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        under.add(topic.name() + "-" + partition.partition());
                    }
                }
            }
            return under;
        } catch (ExecutionException | TimeoutException e) {
            return List.of("(the cluster did not answer: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The leader of each partition of {@code topic}: partition → node id (-1 without a leader). */
    public Map<Integer, Integer> leaders(String topic) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            return description.partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition,
                    p -> p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the cluster did not describe " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An admin client on every node (the caller closes it). */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /**
     * Stops every node: SIGTERM to all, then SIGKILL for any still running after {@link #CLOSE_GRACE}.
     * Stopped together, the last nodes lose the controller quorum their controlled shutdown asks,
     * and would wait for it in vain; their logs are recovered when they start again.
     */
    @Override
    public void close() {
        for (NodeProcess node : nodes) {
            node.signalStop();
        }
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (NodeProcess node : nodes) {
            node.awaitStopped(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L));
        }
    }

    /** How long {@link #close()} lets the nodes stop on their own. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(15);

    private NodeProcess node(int nodeId) {
        return nodes.stream().filter(node -> node.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + nodeIds()));
    }

    private static boolean listens(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitCondition(Duration bound, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + bound.toSeconds() + " s for " + what);
            }
            try {
                // a poll between Admin round trips (each bounded itself), not a wait for an outcome
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** One node: its configuration file and, while it runs, its JVM. */
    private static final class NodeProcess {
        private final int id;
        private final String host;
        private final int port;
        private final List<String> launcher;
        private final Properties config;
        private final Path configFile;
        private final Path log;
        private volatile Process process;

        /** @param launcher what runs the JVM in the node's network namespace; empty on loopback */
        NodeProcess(int id, String host, int port, List<String> launcher, Properties config, Path dir)
                throws IOException {
            this.id = id;
            this.host = host;
            this.port = port;
            this.launcher = launcher;
            this.config = config;
            this.configFile = dir.resolve("node-" + id + ".properties");
            this.log = dir.resolve("node-" + id + ".log");
            try (Writer out = Files.newBufferedWriter(configFile)) {
                config.store(out, "order-stream local cluster, node " + id);
            }
        }

        /** {@code kafka-storage format}, once: a formatted directory is left as it is. */
        void format(String clusterId) {
            Path logDir = Path.of(config.getProperty("log.dirs"));
            if (Files.exists(logDir.resolve("meta.properties"))) {
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = StorageTool.execute(new String[] {"format", "--config", configFile.toString(),
                    "--cluster-id", clusterId}, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("formatting node " + id + " (" + logDir + ") failed: "
                        + output.toString(StandardCharsets.UTF_8));
            }
        }

        void start() {
            try {
                List<String> command = new ArrayList<>(launcher);
                command.addAll(command(configFile));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("node " + id + " did not start: " + e.getMessage(), e);
            }
        }

        boolean isAlive() {
            Process running = process;
            return running != null && running.isAlive();
        }

        void kill() {
            Process running = process;
            if (running != null) {
                running.destroyForcibly();
                await(running, 30);
            }
        }

        void stop() {
            signalStop();
            awaitStopped(60);
        }

        void signalStop() {
            Process running = process;
            if (running != null && running.isAlive()) {
                running.destroy();
            }
        }

        void awaitStopped(long seconds) {
            Process running = process;
            if (running != null && !await(running, seconds)) {
                running.destroyForcibly();
                await(running, 30);
            }
        }

        private static boolean await(Process process, long seconds) {
            try {
                return process.waitFor(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * {@code java kafka.Kafka <config>} on this JVM's own class path. Started from the launcher's
     * executable jar (Spring Boot's nested layout), the jar's {@code PropertiesLauncher} puts its
     * nested libraries on the class path and runs {@code kafka.Kafka} from them.
     */
    static List<String> command(Path configFile) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, BROKER_HEAP, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-Djava.awt.headless=true", "-cp", classPath));
        if (isExecutableJar(classPath)) {
            command.add("-Dloader.main=kafka.Kafka");
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add("kafka.Kafka");
        }
        command.add(configFile.toString());
        return command;
    }

    private static boolean isExecutableJar(String classPath) {
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/lib/") != null || jar.stream().anyMatch(e -> e.getName().startsWith("BOOT-INF/"));
        } catch (IOException e) {
            return false;
        }
    }
}
