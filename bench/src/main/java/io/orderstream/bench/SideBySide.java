package io.orderstream.bench;

import io.orderstream.bench.kafka.KafkaRoundTrip;
import io.orderstream.bench.kafka.PassThroughStage;
import io.orderstream.bench.kafka.ProducerPerformancePeer;
import io.orderstream.bench.peers.PostgresPeer;
import io.orderstream.bench.peers.RedisPeer;
import io.orderstream.bench.report.Chart;
import io.orderstream.bench.report.JfrSummary;
import io.orderstream.local.DevTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole system against its peers, measured the same way in one run ({@code bench/run.sh}).
 *
 * <p>Order Stream runs as it is deployed: the broker (with PostgreSQL beside it), the processor
 * and the API each in their own process, storefronts driving HTTP load from this JVM. Then, on the
 * same broker and PostgreSQL, each peer at the same rates: a pass-through exactly-once Streams
 * stage, Kafka's transactional ProducerPerformance, PostgreSQL's usual idempotency-key design
 * under pgbench, and Redis {@code SET NX EX}. Afterwards the event log and the projection are
 * audited, and a Markdown report with a chart is written.
 */
public final class SideBySide {

    static final String ORDER_STREAM = "Order Stream";
    static final String PASS_THROUGH = "Kafka Streams pass-through (EOS v2)";
    private static final int COMMIT_INTERVAL_MS = 25;
    private static final List<String> TENANTS = List.of("shop-1", "shop-2", "shop-3", "shop-4");

    private final Settings settings;
    private final Report report;
    private final Path work;
    private final Path logs;

    private SideBySide(Settings settings) throws IOException {
        this.settings = settings;
        this.work = Files.createDirectories(settings.work());
        this.logs = Files.createDirectories(work.resolve("logs"));
        this.report = new Report(settings);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Settings.USAGE);
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        new SideBySide(settings).run();
        System.out.printf("bench: done in %.0f s%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    private void run() throws Exception {
        say("plan: rates %s/s for %d s each after a %d s warm-up, then a closed loop of %d clients; systems %s",
                settings.rates(), settings.step().toSeconds(), settings.warmup().toSeconds(), settings.clients(),
                settings.systems());
        say("work directory %s (logs of every component in logs/)", work);
        report.loadBefore(Machine.loadAverage());
        try (Child infra = Child.startUntilInputEnds("infrastructure", logs, List.of("-Xmx1g"),
                BenchInfra.class.getName(), List.of(work.resolve("kafka").toString()), Duration.ofSeconds(20))) {
            String bootstrap = infra.awaitLine("bootstrap=", Duration.ofSeconds(90));
            String jdbc = infra.awaitLine("jdbc=", Duration.ofSeconds(90));
            long postgresPid = Machine.postgresPid(URI.create(jdbc.substring(5)).getPort());
            say("broker %s, PostgreSQL %s", bootstrap, jdbc);
            Infra shared = new Infra(infra.pid(), bootstrap, jdbc, postgresPid);
            if (settings.wants(ORDER_STREAM)) {
                orderStream(shared);
            }
            if (settings.wants(PASS_THROUGH)) {
                passThrough(shared);
            }
            if (settings.wants(ProducerPerformancePeer.SYSTEM)) {
                producerPerformance(shared);
            }
            if (settings.wants("PostgreSQL")) {
                postgres(shared);
            }
            if (settings.wants("Redis")) {
                redis();
            }
        }
        report.loadAfter(Machine.loadAverage());
        Path results = Files.createDirectories(settings.out());
        String name = LocalDate.now() + "-" + settings.commit() + (settings.quick() ? "-quick" : "");
        Path chart = results.resolve(name + ".png");
        Chart.write(report.measurements(), "Latency against offered rate — " + name, chart);
        Path markdown = results.resolve(name + ".md");
        Files.writeString(markdown, report.markdown(chart.getFileName().toString()));
        System.out.println();
        System.out.println(report.table());
        System.out.println(report.goals());
        say("report %s, chart %s", markdown, chart);
    }

    record Infra(long brokerPid, String bootstrap, String jdbc, long postgresPid) {
    }

    // --- Order Stream ---------------------------------------------------------------------------

    private void orderStream(Infra infra) throws Exception {
        String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
        String base = settings.url();
        Child processor = null;
        Child api = null;
        try {
            if (base == null) {
                int processorPort = Machine.freePort();
                int apiPort = Machine.freePort();
                int apiManagementPort = Machine.freePort();
                List<String> common = List.of("--spring.kafka.bootstrap-servers=" + infra.bootstrap(),
                        "--spring.datasource.url=" + infra.jdbc(), "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--logging.level.root=WARN",
                        "--logging.level.io.orderstream=INFO");
                List<String> processorArgs = new ArrayList<>(common);
                processorArgs.add("--server.port=" + processorPort);
                processorArgs.add("--spring.kafka.streams.state-dir=" + work.resolve("streams"));
                processor = Child.start("order-processor", logs, settings.serviceJvm(), Child.classPath(),
                        "io.orderstream.processor.OrderProcessorApplication", processorArgs);
                processor.awaitHttp("http://localhost:" + processorPort + "/actuator/health", Duration.ofMinutes(2));
                List<String> apiArgs = new ArrayList<>(common);
                apiArgs.add("--server.port=" + apiPort);
                apiArgs.add("--management.server.port=" + apiManagementPort);
                apiArgs.add("--orders.security.jwt-secret=" + secret);
                api = Child.start("order-api", logs, settings.serviceJvm(), Child.classPath(),
                        "io.orderstream.api.OrderApiApplication", apiArgs);
                api.awaitHttp("http://localhost:" + apiManagementPort + "/actuator/health", Duration.ofMinutes(2));
                base = "http://localhost:" + apiPort;
                say("Order Stream up: API %s (pid %d), processor :%d (pid %d), JVMs %s", base, api.pid(),
                        processorPort, processor.pid(), settings.serviceJvm());
                measureOrderStream(infra, base, secret, processor, processorPort, api, apiManagementPort);
            } else {
                secret = System.getenv("ORDERS_JWT_SECRET");
                if (secret == null) {
                    throw new IllegalArgumentException("--url needs ORDERS_JWT_SECRET (the API's HS256 secret)");
                }
                measureOrderStream(infra, base, secret, null, 0, null, 0);
            }
        } finally {
            if (api != null) {
                api.close();
            }
            if (processor != null) {
                processor.close();
            }
        }
    }

    private void measureOrderStream(Infra infra, String base, String secret, Child processor, int processorPort,
            Child api, int apiManagementPort) throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        TENANTS.forEach(t -> tokens.put(t, DevTokens.mint(secret, t, Duration.ofHours(3))));
        Storefront shop = new Storefront(base, tokens, 42);
        OpenLoopDriver driver = new OpenLoopDriver();
        boolean local = processor != null;
        // a cold JVM interprets: a closed loop warms it at whatever rate it takes meanwhile, so the
        // JIT compilers work on the hot paths instead of under an overload
        say("%s: warm-up, %d s in a closed loop of 16 clients", ORDER_STREAM, settings.warmup().toSeconds());
        driver.closedLoop(16, settings.warmup(), i -> shop::next);
        settle(local, infra);
        int top = settings.rates().get(settings.rates().size() - 1);
        for (int rate : settings.rates()) {
            ResourceWatch watch = local && rate == top
                    ? watch(infra, processor, processorPort, api, apiManagementPort) : null;
            OpenLoopDriver.Result result = driver.run(rate, settings.step(), settings.drain(), i -> shop::next);
            if (watch != null) {
                report.resources(ORDER_STREAM + " at " + rate + "/s", watch.stop());
            }
            record(ORDER_STREAM, result);
            settle(local, infra);
        }
        ResourceWatch watch = local ? watch(infra, processor, processorPort, api, apiManagementPort) : null;
        OpenLoopDriver.Result closed = driver.closedLoop(settings.clients(), settings.step(), i -> shop::next);
        if (watch != null) {
            report.resources(ORDER_STREAM + " closed loop", watch.stop());
        }
        record(ORDER_STREAM, closed);
        settle(local, infra);
        if (local && settings.profile()) {
            profile(driver, shop, infra, processor, api);
        }
        resolve(driver, shop);
        report.storefront(shop.distinctRequests(), shop.duplicatesSent(), shop.replays(), shop.finalOutcomes());
        if (local) {
            awaitProjection(processorPort);
            Audit.Findings findings = Audit.check(infra.bootstrap(), shop.finalStatusByKey(), shop.tenants(),
                    settings.opsJar(), infra.jdbc(), logs);
            report.audit(findings);
            say("audit: %s%s", findings.clean() ? "CLEAN — " : "VIOLATED — ", findings.summary());
        } else {
            say("audit skipped: the stack at --url is not ours to read");
        }
    }

    private static ResourceWatch watch(Infra infra, Child processor, int processorPort, Child api,
            int apiManagementPort) {
        ResourceWatch watch = new ResourceWatch()
                .add("order-api", api.pid(), "http://localhost:" + apiManagementPort + "/actuator/prometheus")
                .add("order-processor", processor.pid(), "http://localhost:" + processorPort + "/actuator/prometheus")
                .add("Kafka broker", infra.brokerPid(), null)
                .add("PostgreSQL", infra.postgresPid(), null)
                .addSelf("load driver (this JVM)");
        watch.start();
        return watch;
    }

    /**
     * One more closed loop with Flight Recorder on in both services (not in the table): where the
     * time goes when the system runs at its capacity. (Beyond it, at the top open-loop rate, the
     * services wait more than they work.)
     */
    private void profile(OpenLoopDriver driver, Storefront shop, Infra infra, Child processor, Child api)
            throws Exception {
        say("%s: profiling %d s of the closed loop with JFR (not in the table)", ORDER_STREAM,
                settings.step().toSeconds());
        Map<String, Child> services = Map.of("order-api", api, "order-processor", processor);
        for (Map.Entry<String, Child> service : services.entrySet()) {
            jcmd(service.getValue().pid(), "JFR.start", "name=bench", "settings=profile");
        }
        driver.closedLoop(settings.clients(), settings.step(), i -> shop::next);
        for (Map.Entry<String, Child> service : services.entrySet()) {
            Path jfr = work.resolve(service.getKey() + ".jfr");
            jcmd(service.getValue().pid(), "JFR.dump", "name=bench", "filename=" + jfr);
            jcmd(service.getValue().pid(), "JFR.stop", "name=bench");
            report.profile(service.getKey(), jfr, JfrSummary.markdown(jfr, 12));
        }
        settle(true, infra);
    }

    private void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("jcmd.log").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed; see logs/jcmd.log");
        }
    }

    /** Between steps: until the processor has taken every command, so no step inherits a backlog. */
    private void settle(boolean local, Infra infra) throws Exception {
        if (local) {
            Audit.awaitProcessed(infra.bootstrap(), "order-processor", Duration.ofMinutes(3));
        }
    }

    /** Re-sends, with their keys, the requests left at 202 or unanswered, as a storefront would. */
    private void resolve(OpenLoopDriver driver, Storefront shop) throws InterruptedException {
        for (int pass = 1; pass <= 5; pass++) {
            List<Storefront.Request> open = shop.unresolved();
            if (open.isEmpty()) {
                return;
            }
            say("%s: re-sending %d requests without a final answer (pass %d)", ORDER_STREAM, open.size(), pass);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            driver.closedLoop(Math.min(16, open.size()), Duration.ofSeconds(Math.max(2, open.size() / 200 + 1)),
                    i -> () -> {
                        int index = next.getAndIncrement();
                        return shop.resend(open.get(index % open.size()));
                    });
        }
    }

    private void awaitProjection(int processorPort) throws InterruptedException {
        String url = "http://localhost:" + processorPort + "/actuator/prometheus";
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                double lag = body.lines().filter(l -> l.startsWith("orders_projection_lag_records"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                if (lag == 0) {
                    return;
                }
            } catch (IOException e) {
                // try again
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling the lag metric between attempts
        }
        say("the projection still lags after 2 minutes; verifying what it has");
    }

    private void record(String system, OpenLoopDriver.Result result) {
        long ok = result.count(200) + result.count(201);
        StringBuilder note = new StringBuilder();
        if (result.notSent() > 0) {
            note.append(String.format("stopped after %.1f s: 2 s of backlog", result.seconds()));
        }
        result.statuses().forEach((status, count) -> {
            if (status != 200 && status != 201) {
                note.append(note.length() == 0 ? "" : ", ").append(count).append(" × ")
                        .append(status == 0 ? "no answer" : Integer.toString(status));
            }
        });
        record(new Measurement(system, result.offeredRate(), result.clients(), ok, result.sent() - ok,
                result.seconds(), result.ms(50), result.ms(99), result.ms(99.9), note.toString()));
    }

    private void record(Measurement m) {
        report.add(m);
        say("%-44s %s  %9.1f/s  p50 %8.2f  p99 %8.2f  p99.9 %8.2f ms  errors %d%s", m.system(),
                m.closedLoop() ? String.format("closed %4d", m.concurrency()) : String.format("%5d/s     ", m.offeredRate()),
                m.throughput(), m.p50Ms(), m.p99Ms(), m.p999Ms(), m.errors(), m.note().isEmpty() ? "" : "  (" + m.note() + ")");
    }

    // --- peers ----------------------------------------------------------------------------------

    private void passThrough(Infra infra) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "bench-pass-through-in-" + run;
        String output = "bench-pass-through-out-" + run;
        try (KafkaRoundTrip trip = new KafkaRoundTrip(PASS_THROUGH, infra.bootstrap(), input, output, 6);
                Child stage = Child.startUntilInputEnds("pass-through-stage", logs, settings.serviceJvm(),
                        PassThroughStage.class.getName(), List.of(infra.bootstrap(), input, output,
                                work.resolve("pass-through").toString(), Integer.toString(COMMIT_INTERVAL_MS)),
                        Duration.ofSeconds(10))) {
            stage.awaitLine("running", Duration.ofMinutes(1));
            trip.openLoop(settings.rates().get(0), settings.warmup(), settings.drain());
            int top = settings.rates().get(settings.rates().size() - 1);
            for (int rate : settings.rates()) {
                ResourceWatch watch = rate == top ? new ResourceWatch().add("pass-through stage", stage.pid(), null)
                        .add("Kafka broker", infra.brokerPid(), null) : null;
                if (watch != null) {
                    watch.start();
                }
                record(trip.openLoop(rate, settings.step(), settings.drain()));
                if (watch != null) {
                    report.resources(PASS_THROUGH + " at " + rate + "/s", watch.stop());
                }
            }
            record(trip.closedLoop(settings.clients(), settings.step()));
        }
    }

    private void producerPerformance(Infra infra) throws Exception {
        ProducerPerformancePeer peer = new ProducerPerformancePeer(infra.bootstrap(), settings.kafkaToolsClassPath(),
                logs, COMMIT_INTERVAL_MS);
        for (int rate : settings.rates()) {
            record(peer.run(rate, rate * settings.step().toSeconds()));
        }
        record(peer.run(0, 50_000L * settings.step().toSeconds()));
    }

    private void postgres(Infra infra) throws Exception {
        URI uri = URI.create(infra.jdbc().substring(5));
        PostgresPeer peer = PostgresPeer.prepare(uri.getHost(), uri.getPort(), "postgres", "postgres",
                work.resolve("pgbench"));
        try {
            peer.openLoop(settings.rates().get(0), settings.warmup());
            for (int rate : settings.rates()) {
                record(peer.openLoop(rate, settings.step()));
            }
            record(peer.closedLoop(settings.clients(), settings.step()));
            // the same with each commit waiting for its WAL flush, as PostgreSQL's default has it
            record(peer.synchronousCommit(true).closedLoop(settings.clients(), settings.step()));
        } finally {
            peer.close();
        }
    }

    private void redis() throws Exception {
        try (RedisPeer peer = RedisPeer.start(work.resolve("redis"))) {
            peer.openLoop(settings.rates().get(0), settings.warmup());
            for (int rate : settings.rates()) {
                record(peer.openLoop(rate, settings.step()));
            }
            record(peer.closedLoop(settings.clients(), settings.step()));
        }
    }

    static void say(String format, Object... args) {
        System.out.printf("bench: " + format + "%n", args);
        System.out.flush();
    }
}
