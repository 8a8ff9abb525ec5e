package io.orderstream.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) run in this JVM from
 * Kafka's own server classes, with its log in a directory of our choosing: formatted on first
 * start ({@code kafka-storage format --standalone}), kept across restarts.
 *
 * <p>Every replication factor is 1, including the transaction state log's: with the default of 3
 * on one node, exactly-once producers would never find a transaction coordinator.
 */
public final class LocalKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private LocalKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param port   the client port, or 0 for any free one
     * @param logDir the broker's data; formatted when empty. A broker started again on the same
     *               directory (and port) has the topics, records and offsets it had.
     */
    public static LocalKafka start(int port, Path logDir) {
        int clientPort = port > 0 ? port : freePort();
        try {
            Files.createDirectories(logDir);
            int controllerPort = controllerPort(logDir);
            Properties config = new Properties();
            config.put("process.roles", "broker,controller");
            config.put("node.id", "1");
            config.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
            config.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
            config.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
            config.put("controller.listener.names", "CONTROLLER");
            config.put("inter.broker.listener.name", "PLAINTEXT");
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            config.put("log.dirs", logDir.toAbsolutePath().toString());
            config.put("auto.create.topics.enable", "false");
            config.put("num.partitions", "1");
            config.put("default.replication.factor", "1");
            config.put("min.insync.replicas", "1");
            config.put("offsets.topic.replication.factor", "1");
            config.put("transaction.state.log.replication.factor", "1");
            config.put("transaction.state.log.min.isr", "1");
            config.put("share.coordinator.state.topic.replication.factor", "1");
            config.put("share.coordinator.state.topic.min.isr", "1");
            config.put("group.initial.rebalance.delay.ms", "0");
            config.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
            format(config, logDir);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
            server.startup();
            return new LocalKafka(server, clientPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka did not start: " + e.getMessage(), e);
        }
    }

    /**
     * The controller's port is part of the formatted quorum, so a restart must reuse it: it is
     * kept in a file beside the log directory.
     */
    private static int controllerPort(Path logDir) throws IOException {
        Path file = logDir.resolveSibling(logDir.getFileName() + ".controller-port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).trim());
        }
        int port = freePort();
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    /** {@code kafka-storage format --standalone}, once: a formatted directory is left as it is. */
    private static void format(Properties config, Path logDir) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path file = Files.createTempFile("order-stream-kafka-", ".properties");
        try {
            try (Writer out = Files.newBufferedWriter(file)) {
                config.store(out, "order-stream local broker");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = StorageTool.execute(new String[] {"format", "--config", file.toString(),
                    "--cluster-id", Uuid.randomUuid().toString(), "--standalone"},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("formatting the Kafka log directory " + logDir + " failed: "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
