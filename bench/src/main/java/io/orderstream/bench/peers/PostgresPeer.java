package io.orderstream.bench.peers;

import io.orderstream.bench.Tools;
import io.orderstream.bench.Measurement;
import io.orderstream.bench.Peer;
import io.orderstream.bench.Progress;
import io.orderstream.bench.ResourceWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Peer "the usual PostgreSQL design for idempotency keys", driven by PostgreSQL's own pgbench with
 * the script of {@link IdempotencySql}: every request is one transaction that claims its key with
 * {@code INSERT ... ON CONFLICT DO NOTHING} and, when the key is new, writes the order, its event
 * and the stored answer; a duplicate reads the stored answer.
 */
public final class PostgresPeer implements Peer {

    static final String DATABASE = "peer_idempotency";
    private static final String PEER = "postgres-peer";

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path workDir;
    private final Path script;
    private final Path pgbench;
    private final String serverSettings;
    private boolean synchronousCommit;
    private int step;

    private PostgresPeer(String host, int port, String user, String password, Path workDir, Path script,
            Path pgbench, String serverSettings) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.workDir = workDir;
        this.script = script;
        this.pgbench = pgbench;
        this.serverSettings = serverSettings;
    }

    /**
     * Creates the database {@value #DATABASE} afresh (dropping an old one) on a running server,
     * its tables and 100,000 completed keys with their orders (25,000 in each of 4 tenants) that
     * the duplicates replay, and writes the pgbench script into {@code workDir}.
     *
     * @throws IllegalStateException when pgbench is not installed (run bench/install-peers.sh)
     */
    public static PostgresPeer prepare(String host, int port, String user, String password, Path workDir) {
        Path pgbench = Tools.require("pgbench");
        try {
            Files.createDirectories(workDir);
            Path script = Files.writeString(workDir.resolve("idempotency.pgbench.sql"), IdempotencySql.PGBENCH_SCRIPT);
            String settings;
            Tools.progress(PEER, "creating database " + DATABASE + " on " + host + ":" + port);
            try (Connection admin = connect(host, port, "postgres", user, password);
                    Statement sql = admin.createStatement()) {
                sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
                sql.execute("CREATE DATABASE " + DATABASE);
                settings = settings(sql);
            }
            Tools.progress(PEER, "creating tables and pre-filling " + IdempotencySql.TENANTS
                    * IdempotencySql.PREFILLED_PER_TENANT + " keys with their orders");
            try (Connection db = connect(host, port, DATABASE, user, password);
                    Statement sql = db.createStatement()) {
                sql.execute(IdempotencySql.SCHEMA);
                sql.execute(IdempotencySql.PREFILL);
            }
            Tools.progress(PEER, "ready (" + settings + "), script " + script);
            return new PostgresPeer(host, port, user, password, workDir, script, pgbench, settings);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare " + DATABASE + " on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the next steps with {@code PGOPTIONS='-c synchronous_commit=on'}: each commit then waits
     * for its WAL to be written and flushed (as far as the server's own {@code fsync} setting lets it;
     * the note of each measurement says what the server had).
     */
    public PostgresPeer synchronousCommit(boolean on) {
        this.synchronousCommit = on;
        return this;
    }

    /** pgbench is a child of the bench's JVM, measured with the load driver; PostgreSQL is shared. */
    @Override
    public void watch(ResourceWatch watch) {
    }

    /** A closed loop of 8 connections, so the server's caches and plans are warm. */
    @Override
    public void warmUp(Duration duration) {
        run(Measurement.CLOSED_LOOP, 8, duration);
    }

    /** With synchronous commit it is measured in the closed loop only, beside the same without. */
    @Override
    public boolean paced() {
        return !synchronousCommit;
    }

    @Override
    public Measurement open(int rate, Duration duration) {
        return openLoop(rate, duration);
    }

    @Override
    public Measurement closed(int clients, Duration duration) {
        return closedLoop(clients, duration);
    }

    /** The name in the report: "PostgreSQL", or "PostgreSQL (sync commit)". */
    @Override
    public String system() {
        return synchronousCommit ? "PostgreSQL (sync commit)" : "PostgreSQL";
    }

    /**
     * Open loop: pgbench sends {@code rate} requests per second for {@code duration} whatever the
     * answers do ({@code --rate}), with enough clients (connections) that a slow answer does not
     * hold back the next ones. Latency is from each transaction's scheduled start to its commit.
     * pgbench's schedule is a Poisson process at that mean rate, not fixed intervals.
     */
    public Measurement openLoop(int rate, Duration duration) {
        return openLoop(rate, duration, Math.max(8, Math.min(64, rate / 125)));
    }

    /** {@link #openLoop(int, Duration)} with a given number of pgbench clients (connections). */
    public Measurement openLoop(int rate, Duration duration, int clients) {
        return run(rate, clients, duration);
    }

    /**
     * Closed loop: {@code clients} connections each send their next request as soon as the last one
     * is answered, for {@code duration}. Latency is from each transaction's start to its commit.
     */
    public Measurement closedLoop(int clients, Duration duration) {
        return run(Measurement.CLOSED_LOOP, clients, duration);
    }

    private Measurement run(int rate, int clients, Duration duration) {
        long seconds = Math.max(1, duration.toSeconds());
        String prefix = String.format("pgbench-%02d-%s", ++step, rate == Measurement.CLOSED_LOOP ? "closed" : rate);
        List<String> command = new ArrayList<>(List.of(pgbench.toString(), "-h", host, "-p", String.valueOf(port),
                "-U", user, "-n", "-c", String.valueOf(clients),
                "-j", String.valueOf(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                "-T", String.valueOf(seconds), "-f", script.toString(), "-l",
                "--log-prefix=" + workDir.resolve(prefix)));
        if (rate != Measurement.CLOSED_LOOP) {
            command.add("--rate=" + rate);
        }
        command.add(DATABASE);
        Map<String, String> env = synchronousCommit
                ? Map.of("PGPASSWORD", password, "PGOPTIONS", "-c synchronous_commit=on")
                : Map.of("PGPASSWORD", password);
        Tools.progress(PEER, system() + ": " + (rate == 0 ? "closed loop" : "rate " + rate + "/s") + ", "
                + clients + " clients, " + seconds + " s");
        Tools.Run run;
        try (Progress progress = Progress.elapsed(system() + " (pgbench)")) {
            run = Tools.run(command, env, workDir.resolve(prefix + "-output.txt"), duration.plusSeconds(60));
        }
        PgbenchLog log;
        try {
            log = PgbenchLog.read(workDir, prefix);
        } catch (IllegalStateException noLog) {
            throw new IllegalStateException("pgbench failed (exit " + run.exitCode() + "):\n"
                    + Tools.tail(run.output(), 8), noLog);
        }
        checkAgainstPrintedAverage(log, run.output());
        String note = "pgbench " + clients + " clients" + (rate == 0 ? "" : ", Poisson-paced --rate")
                + "; " + serverSettings + (synchronousCommit ? "; session synchronous_commit=on" : "");
        if (run.exitCode() != 0) {
            note += "; pgbench exit " + run.exitCode() + ": " + Tools.tail(run.output(), 1);
        }
        Measurement m = new Measurement(system(), rate, clients, log.completed(), log.failed() + log.skipped(),
                seconds, log.ms(50), log.ms(99), log.ms(99.9), note);
        Tools.progress(PEER, String.format("%s: %d done, %d errors, %.0f/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms",
                system(), m.completed(), m.errors(), m.throughput(), m.p50Ms(), m.p99Ms(), m.p999Ms()));
        return m;
    }

    /** Our percentiles come from the log; its mean must be what pgbench itself printed. */
    private static void checkAgainstPrintedAverage(PgbenchLog log, String output) {
        PgbenchLog.printedLatencyAverageMs(output).ifPresent(printed -> {
            if (Math.abs(printed - log.meanMs()) > Math.max(0.01, printed * 0.01)) {
                Tools.progress(PEER, String.format("WARNING: log mean %.3f ms differs from pgbench's latency "
                        + "average %.3f ms", log.meanMs(), printed));
            }
        });
    }

    /** Drops the database {@value #DATABASE}. */
    @Override
    public void close() {
        try (Connection admin = connect(host, port, "postgres", user, password);
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            Tools.progress(PEER, "dropped database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    private static String settings(Statement sql) throws SQLException {
        StringBuilder settings = new StringBuilder("server");
        for (String name : List.of("synchronous_commit", "fsync")) {
            try (ResultSet rs = sql.executeQuery("SHOW " + name)) {
                rs.next();
                settings.append(' ').append(name).append('=').append(rs.getString(1));
            }
        }
        return settings.toString();
    }

    private static Connection connect(String host, int port, String database, String user, String password)
            throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user, password);
    }
}
