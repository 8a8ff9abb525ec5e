package io.orderstream.bench;

import io.orderstream.bench.kafka.PassThroughPeer;
import io.orderstream.bench.kafka.ProducerPerformancePeer;
import io.orderstream.bench.peers.PostgresPeer;
import io.orderstream.bench.peers.RedisPeer;
import io.orderstream.bench.report.Chart;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * The whole system against its peers, measured the same way in one run ({@code bench/run.sh}).
 *
 * <p>The broker and PostgreSQL run in a JVM of their own; then each system in turn ({@link Peer}):
 * Order Stream as deployed (processor and API, each its own JVM) under the storefront load, a
 * pass-through exactly-once Streams stage, Kafka's transactional ProducerPerformance, PostgreSQL's
 * usual idempotency-key design under pgbench, and Redis {@code SET NX EX}. Each takes the same
 * steps (warm-up, the fixed rates, the closed loop), every process's CPU and memory read over each;
 * Order Stream also the overload steps, then the audit of its event log and projection. The report
 * is written as Markdown, JSON and a chart.
 */
public final class SideBySide {

    static final String ORDER_STREAM = "Order Stream";
    private static final int COMMIT_INTERVAL_MS = 25;

    private final Settings settings;
    private final Report report;
    private final Path work;
    private final Path logs;

    private SideBySide(Settings settings) throws java.io.IOException {
        this.settings = settings;
        this.work = Files.createDirectories(settings.work());
        this.logs = Files.createDirectories(work.resolve("logs"));
        this.report = new Report(settings);
    }

    public static void main(String[] args) throws Exception {
        if (Settings.helpAsked(args)) {
            System.out.println(Settings.usage());
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Settings.usage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        new SideBySide(settings).run();
        say("done in %.0f s", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    record Infra(long brokerPid, String bootstrap, String jdbc, long postgresPid) {
    }

    private void run() throws Exception {
        say("plan: rates %s/s for %d s each after a %d s warm-up, then a closed loop of %d clients%s; systems %s; "
                        + "services on %s", settings.rates(), settings.step().toSeconds(), settings.warmup().toSeconds(),
                settings.clients(), settings.overload().isEmpty() ? "" : ", Order Stream's overload at "
                        + settings.overload() + "× capacity", settings.systems(), settings.serviceJdkName());
        say("work directory %s (logs of every component in logs/)", work);
        report.loadBefore(Machine.loadAverage());
        try (Child infra = Child.startUntilInputEnds("infrastructure", null, logs, List.of("-Xmx1g"),
                BenchInfra.class.getName(), List.of(work.resolve("kafka").toString()), Duration.ofSeconds(20))) {
            say("starting the broker and PostgreSQL");
            String bootstrap;
            String jdbc;
            try (Progress progress = Progress.elapsed("broker and PostgreSQL starting")) {
                bootstrap = infra.awaitLine("bootstrap=", Duration.ofMinutes(5));
                jdbc = infra.awaitLine("jdbc=", Duration.ofMinutes(5));
            }
            long postgresPid = Machine.postgresPid(URI.create(jdbc.substring(5)).getPort());
            say("broker %s, PostgreSQL %s", bootstrap, jdbc);
            Infra shared = new Infra(infra.pid(), bootstrap, jdbc, postgresPid);
            for (String system : settings.systems()) {
                say("%s: starting", system);
                try (Peer peer = start(system, shared)) {
                    measure(peer, shared);
                }
            }
        }
        report.loadAfter(Machine.loadAverage());
        write();
    }

    private Peer start(String system, Infra infra) {
        URI postgres = URI.create(infra.jdbc().substring(5));
        return switch (system) {
            case ORDER_STREAM -> OrderStream.start(settings, infra, work, logs);
            case PassThroughPeer.SYSTEM -> PassThroughPeer.start(infra.bootstrap(), settings.serviceJdk(),
                    settings.serviceJvm(), work, logs, COMMIT_INTERVAL_MS, settings.drain());
            case ProducerPerformancePeer.SYSTEM -> new ProducerPerformancePeer(infra.bootstrap(),
                    settings.kafkaToolsClassPath(), logs, COMMIT_INTERVAL_MS);
            case "PostgreSQL", "PostgreSQL (sync commit)" -> PostgresPeer.prepare(postgres.getHost(),
                    postgres.getPort(), "postgres", "postgres", work.resolve("pgbench"))
                    .synchronousCommit(!system.equals("PostgreSQL"));
            case "Redis" -> RedisPeer.start(work.resolve("redis"));
            default -> throw new IllegalArgumentException("no such system: " + system);
        };
    }

    /** The same steps for every system; Order Stream's overload steps and audit after its closed loop. */
    private void measure(Peer peer, Infra infra) throws Exception {
        say("%s: warm-up, %d s (not reported)", peer.system(), settings.warmup().toSeconds());
        peer.warmUp(settings.warmup());
        peer.settle();
        if (peer.paced()) {
            for (int rate : settings.rates()) {
                step(peer, infra, rate + "/s", 0, () -> peer.open(rate, settings.step()));
            }
        }
        Measurement closed = step(peer, infra, "closed loop of " + settings.clients(), 0,
                () -> peer.closed(settings.clients(), settings.step()));
        if (peer instanceof OrderStream orderStream) {
            for (double times : settings.overload()) {
                int rate = (int) Math.max(100, Math.round(closed.throughput() * times / 100) * 100);
                step(peer, infra, String.format("overload, %,d/s (%.0f× the closed loop's %,.0f/s)", rate, times,
                        closed.throughput()), times, () -> peer.open(rate, settings.step()));
            }
            orderStream.finish(report);
        }
    }

    interface StepRun {
        Measurement run() throws Exception;
    }

    /** One step: a line as it starts, live lines while it runs (the drivers'), its figures, its resources. */
    private Measurement step(Peer peer, Infra infra, String what, double overload, StepRun run) throws Exception {
        say("%s: %s for %d s", peer.system(), what, settings.step().toSeconds());
        ResourceWatch watch = null;
        if (settings.url() == null || !peer.system().equals(ORDER_STREAM)) {
            watch = new ResourceWatch();
            peer.watch(watch);
            watch.add("Kafka broker", infra.brokerPid(), null).add("PostgreSQL", infra.postgresPid(), null)
                    .addSelf(Report.DRIVER);
            watch.start();
        }
        Measurement m;
        try {
            m = run.run();
        } catch (Exception | Error e) {
            if (watch != null) {
                watch.close();
            }
            throw e;
        }
        List<ResourceWatch.Usage> usage = watch == null ? List.of() : watch.stop();
        report.add(m, usage, overload);
        print(m, usage);
        peer.settle();
        return m;
    }

    private static void print(Measurement m, List<ResourceWatch.Usage> usage) {
        StringBuilder cpu = new StringBuilder();
        usage.forEach(u -> cpu.append(String.format(", %s %.3f", u.component(), u.cpuMsPer(m.completed()))));
        say("%-44s %s  %9.1f/s  p50 %8.2f  p99 %8.2f  p99.9 %8.2f ms  errors %d%s%s", m.system(),
                m.closedLoop() ? String.format("closed %4d", m.concurrency())
                        : String.format("%5d/s     ", m.offeredRate()),
                m.throughput(), m.p50Ms(), m.p99Ms(), m.p999Ms(), m.errors(),
                m.errorKinds().isEmpty() ? "" : " " + m.errorKinds(), m.note().isEmpty() ? "" : "  (" + m.note() + ")");
        if (!usage.isEmpty()) {
            say("%-44s ms CPU per command%s", "", cpu);
        }
    }

    private void write() throws java.io.IOException {
        Path results = Files.createDirectories(settings.out());
        String name = LocalDate.now() + "-" + settings.commit() + (settings.quick() ? "-quick" : "");
        Path chart = results.resolve(name + ".png");
        Chart.write(report.measurements(), "Latency against offered rate — " + name, chart);
        Path json = results.resolve(name + ".json");
        Files.writeString(json, report.json());
        Path markdown = results.resolve(name + ".md");
        Files.writeString(markdown, report.markdown(chart.getFileName().toString(), json.getFileName().toString()));
        System.out.println();
        System.out.println(report.table());
        System.out.println(report.goals());
        say("report %s, its figures %s, chart %s", markdown, json, chart);
    }

    static void say(String format, Object... args) {
        System.out.printf("bench: " + format + "%n", args);
        System.out.flush();
    }
}
