package io.orderstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network of its own for a {@link LocalCluster}: each broker in a Linux network namespace, the
 * brokers joined by two networks, as machines in a data centre are:
 *
 * <ul>
 *   <li>the <em>broker network</em> ({@code 10.231.X.0/24}): the controller quorum and replication;
 *   <li>the <em>client network</em> ({@code 10.232.X.0/24}): the listener clients are given, which
 *       this machine's own namespace (where the services and the tests run) reaches through a
 *       veth of its own.
 * </ul>
 *
 * Each network is a bridge in a hub namespace; each broker has a veth on each. Cutting a broker's
 * link on the broker network ({@link #isolate}) is a partial partition: the broker no longer reaches
 * the quorum or its followers, yet clients still reach it. Made with {@code ip} (Debian's iproute2),
 * as root; everything lives in namespaces named after this JVM's pid, and is removed on
 * {@link #close()} (the namespaces of a JVM that died are removed by the next one).
 */
public final class BrokerNetwork implements AutoCloseable {

    /** Of every name this class makes: a namespace {@code ostream<pid><letter>-…}, this machine's veth. */
    private static final String PREFIX = "ostream";
    private static final AtomicInteger NETWORKS = new AtomicInteger();
    private static Optional<String> probe;

    private final String id;
    private final int size;
    private final int subnet;
    private boolean closed;

    private BrokerNetwork(String id, int size, int subnet) {
        this.id = id;
        this.size = size;
        this.subnet = subnet;
    }

    /**
     * Why this machine cannot make such a network ({@code ip} missing, not root, namespaces not
     * permitted), or empty if it can: tried once, by making a namespace and removing it.
     */
    public static synchronized Optional<String> unavailable() {
        if (probe == null) {
            String name = PREFIX + ProcessHandle.current().pid() + "probe";
            try {
                ip("netns", "add", name);
                ip("netns", "delete", name);
                probe = Optional.empty();
            } catch (RuntimeException e) {
                probe = Optional.of("network namespaces cannot be made here (`ip netns add` as root, from iproute2): "
                        + e.getMessage());
            }
        }
        return probe;
    }

    /** Makes the namespaces, bridges and links for {@code size} brokers. */
    public static BrokerNetwork create(int size) {
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        removeLeftovers();
        String id = PREFIX + ProcessHandle.current().pid() + (char) ('a' + NETWORKS.getAndIncrement() % 26);
        BrokerNetwork network = new BrokerNetwork(id, size, freeSubnet());
        Runtime.getRuntime().addShutdownHook(new Thread(network::close, "broker-network-cleanup"));
        try {
            network.build();
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private void build() {
        String hub = hub();
        ip("netns", "add", hub);
        ip("-n", hub, "link", "set", "lo", "up");
        for (String bridge : List.of("brokers", "clients")) {
            ip("-n", hub, "link", "add", bridge, "type", "bridge");
            ip("-n", hub, "link", "set", bridge, "up");
        }
        for (int node = 1; node <= size; node++) {
            String ns = namespace(node);
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
            link(ns, "brokers", brokerLink(node), brokerAddress(node));
            link(ns, "clients", "b" + node + "c", clientAddress(node));
        }
        // this machine's own namespace on the client network
        ip("link", "add", id, "type", "veth", "peer", "name", "host", "netns", hub);
        ip("-n", hub, "link", "set", "host", "master", "clients", "up");
        ip("addr", "add", "10.232." + subnet + ".100/24", "dev", id);
        ip("link", "set", id, "up");
    }

    /** A veth from the broker's namespace ({@code <network>0} there) to a bridge of the hub. */
    private void link(String ns, String bridge, String hubSide, String address) {
        String inside = bridge.substring(0, 3) + "0";
        ip("-n", hub(), "link", "add", hubSide, "type", "veth", "peer", "name", inside, "netns", ns);
        ip("-n", hub(), "link", "set", hubSide, "master", bridge, "up");
        ip("-n", ns, "addr", "add", address + "/24", "dev", inside);
        ip("-n", ns, "link", "set", inside, "up");
    }

    /** The broker's address on the broker network: its controller and replication listeners. */
    public String brokerAddress(int node) {
        return "10.231." + subnet + "." + check(node);
    }

    /** The broker's address on the client network: the listener clients bootstrap from. */
    public String clientAddress(int node) {
        return "10.232." + subnet + "." + check(node);
    }

    /** The command prefix that runs a program in the broker's namespace. */
    public List<String> exec(int node) {
        return List.of("ip", "netns", "exec", namespace(check(node)));
    }

    /** Cuts the broker off from the other brokers (and the quorum); clients still reach it. */
    public void isolate(int node) {
        ip("-n", hub(), "link", "set", brokerLink(check(node)), "down");
    }

    /** Joins the broker to the others again. */
    public void heal(int node) {
        ip("-n", hub(), "link", "set", brokerLink(check(node)), "up");
    }

    /** Removes every namespace, and with them their links. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeNamespaces(id);
    }

    @Override
    public String toString() {
        return size + " broker namespaces " + namespace(1) + "…, broker network 10.231." + subnet
                + ".0/24, client network 10.232." + subnet + ".0/24";
    }

    private String hub() {
        return id + "-hub";
    }

    private String namespace(int node) {
        return id + "-b" + node;
    }

    private static String brokerLink(int node) {
        return "b" + node + "k";
    }

    private int check(int node) {
        if (node < 1 || node > size) {
            throw new IllegalArgumentException("no broker " + node + " in a network of " + size);
        }
        return node;
    }

    /** A third octet that no address of this machine's namespace uses yet (another run's network). */
    private static int freeSubnet() {
        String addresses = run(List.of("ip", "-4", "-o", "addr", "show"));
        for (int attempt = 0; attempt < 100; attempt++) {
            int subnet = ThreadLocalRandom.current().nextInt(1, 255);
            if (!addresses.contains(" 10.232." + subnet + ".")) {
                return subnet;
            }
        }
        throw new IllegalStateException("no free 10.232.x.0/24 subnet on this machine");
    }

    /** Namespaces of JVMs no longer running, left by a run that was killed. */
    private static void removeLeftovers() {
        for (String ns : namespaces()) {
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String pid = ns.substring(PREFIX.length()).replaceAll("[^0-9].*", "");
            if (!pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                ipQuietly("netns", "delete", ns);
            }
        }
    }

    private static void removeNamespaces(String id) {
        for (String ns : namespaces()) {
            if (ns.startsWith(id + "-")) {
                ipQuietly("netns", "delete", ns);
            }
        }
        // the host side of the client network's veth goes with its peer; this is in case it did not
        ipQuietly("link", "delete", id);
    }

    private static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split(" ")[0]);
            }
        }
        return names;
    }

    private static void ipQuietly(String... args) {
        try {
            ip(args);
        } catch (RuntimeException e) {
            // already gone
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        run(command);
    }

    /** Runs a command to its end (bounded) and returns its output; a non-zero exit is an error. */
    private static String run(List<String> command) {
        try {
            Path output = Files.createTempFile("broker-network-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + ": no answer in 30 s");
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                            + ": " + text.trim());
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        }
    }
}
