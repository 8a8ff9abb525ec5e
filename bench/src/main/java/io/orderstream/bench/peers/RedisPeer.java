package io.orderstream.bench.peers;

import io.orderstream.bench.Tools;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderstream.bench.Machine;
import io.orderstream.bench.Measurement;
import io.orderstream.bench.Peer;
import io.orderstream.bench.Progress;
import io.orderstream.bench.ResourceWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Peer "a key-value store with SET key NX EX": Debian's redis-server, started here on loopback.
 * A request is one {@code SET idem:... <~300-byte answer> NX EX 86400}: "OK" claims a new key,
 * nil means the key was already set (a duplicate).
 */
public final class RedisPeer implements Peer {

    static final long TTL_SECONDS = 86_400;
    /** Share of requests whose key is already set. */
    static final double DUPLICATE_SHARE = 0.20;
    private static final int TENANTS = 4;
    private static final int PRESET_PER_TENANT = 25_000;
    private static final String PEER = "redis-peer";
    /** A stored answer of about 300 bytes, like an HTTP JSON answer. */
    static final String VALUE = "{\"orderId\":\"order-71829347561\",\"tenant\":\"tenant-3\",\"status\":\"ACCEPTED\","
            + "\"version\":1,\"links\":{\"self\":\"/v1/tenants/tenant-3/orders/order-71829347561\","
            + "\"events\":\"/v1/tenants/tenant-3/orders/order-71829347561/events\"},"
            + "\"receivedAt\":\"2026-01-15T10:22:31.417Z\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}";

    private final Process server;
    private final Thread killOnExit;
    private final int port;
    private final Path dir;
    private final Path redisBenchmark;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String persistence;
    private int step;

    private RedisPeer(Process server, Thread killOnExit, int port, Path dir, Path redisBenchmark, RedisClient client,
            StatefulRedisConnection<String, String> connection) {
        this.server = server;
        this.killOnExit = killOnExit;
        this.port = port;
        this.dir = dir;
        this.redisBenchmark = redisBenchmark;
        this.client = client;
        this.connection = connection;
        RedisCommands<String, String> sync = connection.sync();
        this.persistence = "save \"" + sync.configGet("save").get("save") + "\", appendonly "
                + sync.configGet("appendonly").get("appendonly");
    }

    /**
     * Starts redis-server on 127.0.0.1 and a free port, its files in {@code workDir}, and waits until
     * it answers PING. Every other setting is Redis 7.0's default without a config file, notably:
     * RDB snapshots {@code save 3600 1 300 100 60 10000} (a background save after 60 s with 10,000
     * changes), {@code appendonly no} (no append-only file, so an acknowledged SET is in memory only),
     * one I/O thread, no maxmemory, protected mode on.
     *
     * @throws IllegalStateException when redis-server or redis-benchmark is not installed (run
     *                               bench/install-peers.sh) or the server does not come up
     */
    public static RedisPeer start(Path workDir) {
        Path redisServer = Tools.require("redis-server");
        Path redisBenchmark = Tools.require("redis-benchmark");
        try {
            Files.createDirectories(workDir);
            int port = Machine.freePort();
            Path log = workDir.resolve("redis-server.log");
            Process server = new ProcessBuilder(redisServer.toString(), "--bind", "127.0.0.1", "--port",
                    String.valueOf(port), "--dir", workDir.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Thread killOnExit = new Thread(server::destroyForcibly, "redis-peer-kill");
            Runtime.getRuntime().addShutdownHook(killOnExit);
            Tools.progress(PEER, "started redis-server pid " + server.pid() + " on 127.0.0.1:" + port);
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withTimeout(Duration.ofSeconds(10)).build());
            StatefulRedisConnection<String, String> connection = awaitPing(server, client, log);
            return new RedisPeer(server, killOnExit, port, workDir, redisBenchmark, client, connection);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StatefulRedisConnection<String, String> awaitPing(Process server, RedisClient client, Path log)
            throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!server.isAlive()) {
                client.shutdown();
                throw new IllegalStateException("redis-server ended at start:\n" + Tools.tail(Files.readString(log), 5));
            }
            try {
                StatefulRedisConnection<String, String> connection = client.connect();
                if ("PONG".equals(connection.sync().ping())) {
                    return connection;
                }
                connection.close();
            } catch (RedisException notYet) {
                if (System.nanoTime() > deadline) {
                    server.destroyForcibly();
                    client.shutdown();
                    throw new IllegalStateException("redis-server did not answer PING within 10 s", notYet);
                }
            }
            sleep(50);
        }
    }

    @Override
    public String system() {
        return "Redis";
    }

    @Override
    public void watch(ResourceWatch watch) {
        watch.add("redis-server", server.pid(), null);
    }

    /** The open loop at 1,000/s (Lettuce and the server warm). */
    @Override
    public void warmUp(Duration duration) throws InterruptedException {
        openLoop(1000, duration);
    }

    @Override
    public Measurement open(int rate, Duration duration) throws InterruptedException {
        return openLoop(rate, duration);
    }

    @Override
    public Measurement closed(int clients, Duration duration) {
        return closedLoop(clients, duration);
    }

    /**
     * Closed loop with Redis's own redis-benchmark: {@code clients} connections each send their next
     * {@code SET idem:__rand_int__ <value> NX EX 86400} as soon as the last is answered, {@code requests}
     * in all, on an emptied server. Latency is from sending a command to its answer.
     *
     * <p>{@code -r RANGE} draws each key uniformly from RANGE numbers, so about 20 % of the requests
     * find their key already set: see {@link #keyspaceFor}. The share actually seen (requests minus
     * keys left) is in the note.
     */
    public Measurement closedLoop(int clients, long requests) {
        long range = keyspaceFor(requests, DUPLICATE_SHARE);
        RedisCommands<String, String> sync = connection.sync();
        sync.flushall();
        String name = String.format("redis-benchmark-%02d-closed", ++step);
        Tools.progress(PEER, "redis-benchmark: " + clients + " clients, " + requests + " requests, -r " + range);
        Tools.Run run;
        try (Progress progress = Progress.elapsed("Redis (redis-benchmark)")) {
            run = Tools.run(List.of(redisBenchmark.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                        "-c", String.valueOf(clients), "-n", String.valueOf(requests), "-r", String.valueOf(range),
                        "SET", "idem:__rand_int__", VALUE, "NX", "EX", String.valueOf(TTL_SECONDS)), Map.of(),
                dir.resolve(name + ".out"), Duration.ofMinutes(30));
        }
        if (run.exitCode() != 0) {
            throw new IllegalStateException("redis-benchmark exit " + run.exitCode() + ":\n" + Tools.tail(run.output(), 5));
        }
        RedisBenchmarkOutput out = RedisBenchmarkOutput.parse(run.output());
        double duplicates = 1.0 - (double) sync.dbsize() / out.requests();
        Measurement m = new Measurement("Redis", Measurement.CLOSED_LOOP, clients, out.requests(), 0, out.seconds(),
                out.p50Ms(), out.p99Ms(), out.p999Ms(), String.format("redis-benchmark 7.0, p99.9 is the upper bound "
                        + "its percentile lines give; duplicates %.1f %%; %s", 100 * duplicates, persistence));
        report(m);
        return m;
    }

    /**
     * {@link #closedLoop(int, long)} with as many requests as take about {@code duration}, estimated by a
     * short first run (not reported), since redis-benchmark counts requests, not time.
     */
    public Measurement closedLoop(int clients, Duration duration) {
        Measurement probe = closedLoop(clients, 20_000);
        long requests = Math.max(20_000, Math.round(probe.throughput() * duration.toSeconds()));
        return closedLoop(clients, requests);
    }

    /**
     * Open loop at {@code rate} requests per second for {@code duration}, with Lettuce's async API on one
     * (pipelining) connection, since redis-benchmark cannot pace its requests. Before the run the server
     * is emptied and 100,000 keys are set (25,000 in each of 4 tenants); then 20 % of the requests
     * repeat one of those and 80 % bring a key never used before. Latency is from each request's due
     * time to its answer (coordinated-omission correction, as in HttpLoad, on the same Pacer).
     */
    public Measurement openLoop(int rate, Duration duration) throws InterruptedException {
        RedisCommands<String, String> sync = connection.sync();
        sync.flushall();
        presetKeys();
        int run = ++step;
        Tools.progress(PEER, "Lettuce open loop: rate " + rate + "/s, " + duration.toSeconds() + " s");
        LettuceOpenLoop.Result result = LettuceOpenLoop.run(connection.async(), rate, duration, i -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int tenant = 1 + random.nextInt(TENANTS);
            return random.nextDouble() < DUPLICATE_SHARE
                    ? presetKey(tenant, 1 + random.nextInt(PRESET_PER_TENANT))
                    : "idem:tenant-" + tenant + ":run" + run + "-" + i;
        }, VALUE, TTL_SECONDS);
        long newKeys = sync.dbsize() - (long) TENANTS * PRESET_PER_TENANT;
        double duplicates = 1.0 - (double) newKeys / result.answered();
        Measurement m = new Measurement("Redis", rate, 1, result.answered(), result.errors(), result.seconds(),
                result.ms(50), result.ms(99), result.ms(99.9), String.format("Lettuce open loop, one connection, "
                        + "driver's own send lag p50 %.3f / p99 %.3f ms; duplicates %.1f %%; %s",
                        result.sendLagMicros().getValueAtPercentile(50) / 1000.0,
                        result.sendLagMicros().getValueAtPercentile(99) / 1000.0, 100 * duplicates, persistence));
        report(m);
        return m;
    }

    private void presetKeys() throws InterruptedException {
        RedisAsyncCommands<String, String> async = connection.async();
        List<io.lettuce.core.RedisFuture<String>> sets = new ArrayList<>();
        for (int tenant = 1; tenant <= TENANTS; tenant++) {
            for (int k = 1; k <= PRESET_PER_TENANT; k++) {
                sets.add(async.setex(presetKey(tenant, k), TTL_SECONDS, VALUE));
            }
        }
        for (io.lettuce.core.RedisFuture<String> set : sets) {
            if (!set.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("presetting keys timed out");
            }
        }
    }

    private static String presetKey(int tenant, int k) {
        return "idem:tenant-" + tenant + ":pre-" + k;
    }

    /**
     * The key range for {@code -r} so that {@code share} of {@code requests} uniform draws hit a key
     * drawn before. After N draws from R keys, about R(1 - e^(-N/R)) distinct keys are set, so the share of
     * duplicates is d = 1 - (1 - e^(-x)) / x with x = N/R. d grows with x; d = 0.2 at x = 0.4642, i.e.
     * R = N / 0.4642, about 2.15 N. Solved here by bisection.
     */
    static long keyspaceFor(long requests, double share) {
        double low = 1e-9;
        double high = 50;
        for (int i = 0; i < 100; i++) {
            double x = (low + high) / 2;
            if (duplicateShare(x) < share) {
                low = x;
            } else {
                high = x;
            }
        }
        return Math.max(1, Math.round(requests / ((low + high) / 2)));
    }

    /** Expected share of duplicates for {@code x} = draws / range. */
    static double duplicateShare(double x) {
        return 1 - (-Math.expm1(-x)) / x;
    }

    private static void report(Measurement m) {
        Tools.progress(PEER, String.format("%s: %d done, %d errors, %.0f/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms",
                m.note().startsWith("Lettuce") ? "open loop" : "closed loop", m.completed(), m.errors(),
                m.throughput(), m.p50Ms(), m.p99Ms(), m.p999Ms()));
    }

    /** Shuts the server down (SHUTDOWN NOSAVE) and waits until its process has ended. */
    @Override
    public void close() {
        try {
            connection.sync().shutdown(false);
        } catch (RedisException expected) {
            // the server closes the connection as it goes
        }
        client.shutdown();
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroy();
                if (!server.waitFor(5, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        Tools.progress(PEER, "redis-server pid " + server.pid() + " ended");
    }

    /** Between polls of the server starting or stopping: there is nothing to wait on instead. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
