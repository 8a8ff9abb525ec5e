package io.orderstream.bench;

import io.orderstream.local.DevTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Order Stream as it is deployed: the processor and the API each in their own JVM on the shared
 * broker and PostgreSQL (or a running API at {@code --url}), under the storefront load: the Netty
 * driver in open loop, wrk (where installed) or the Netty driver in the closed loop. Afterwards the
 * requests left without a final answer are re-sent and the event log and projection audited.
 */
final class OrderStream implements Peer {

    private static final List<String> TENANTS = List.of("shop-1", "shop-2", "shop-3", "shop-4");

    private final Settings settings;
    private final SideBySide.Infra infra;
    private final Path work;
    private final Child processor;
    private final Child api;
    private final int processorPort;
    private final int apiManagementPort;
    private final String base;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Storefront shop;
    private final HttpLoad http;
    private final Optional<WrkClosedLoop> wrk;

    private OrderStream(Settings settings, SideBySide.Infra infra, Path work, Child processor, int processorPort,
            Child api, int apiManagementPort, String base, String secret) {
        this.settings = settings;
        this.infra = infra;
        this.work = work;
        this.processor = processor;
        this.processorPort = processorPort;
        this.api = api;
        this.apiManagementPort = apiManagementPort;
        this.base = base;
        TENANTS.forEach(t -> tokens.put(t, DevTokens.mint(secret, t, Duration.ofHours(3))));
        this.shop = new Storefront(base, tokens, 42);
        this.http = new HttpLoad(URI.create(base), settings.connections());
        this.wrk = settings.wrk() ? WrkClosedLoop.find(work) : Optional.empty();
    }

    /** Starts the processor, then the API, on the services' JDK; or uses the API at {@code --url}. */
    static OrderStream start(Settings settings, SideBySide.Infra infra, Path work, Path logs) {
        if (settings.url() != null) {
            String secret = System.getenv("ORDERS_JWT_SECRET");
            if (secret == null) {
                throw new IllegalArgumentException("--url needs ORDERS_JWT_SECRET (the API's HS256 secret)");
            }
            return new OrderStream(settings, infra, work, null, 0, null, 0, settings.url(), secret);
        }
        String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
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
        Child processor = Child.start("order-processor", settings.serviceJdk(), logs, settings.serviceJvm(),
                Child.classPath(), "io.orderstream.processor.OrderProcessorApplication", processorArgs);
        Child api = null;
        try {
            try (Progress progress = Progress.elapsed("order-processor starting")) {
                processor.awaitHttp("http://localhost:" + processorPort + "/actuator/health", Duration.ofMinutes(6));
            }
            List<String> apiArgs = new ArrayList<>(common);
            apiArgs.add("--server.port=" + apiPort);
            apiArgs.add("--management.server.port=" + apiManagementPort);
            apiArgs.add("--orders.security.jwt-secret=" + secret);
            api = Child.start("order-api", settings.serviceJdk(), logs, settings.serviceJvm(), Child.classPath(),
                    "io.orderstream.api.OrderApiApplication", apiArgs);
            try (Progress progress = Progress.elapsed("order-api starting")) {
                api.awaitHttp("http://localhost:" + apiManagementPort + "/actuator/health", Duration.ofMinutes(6));
            }
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            processor.close();
            throw e;
        }
        SideBySide.say("Order Stream up: API :%d (pid %d), processor :%d (pid %d), on %s", apiPort, api.pid(),
                processorPort, processor.pid(), settings.serviceJdkName());
        return new OrderStream(settings, infra, work, processor, processorPort, api, apiManagementPort,
                "http://localhost:" + apiPort, secret);
    }

    private boolean local() {
        return processor != null;
    }

    @Override
    public String system() {
        return SideBySide.ORDER_STREAM;
    }

    @Override
    public void watch(ResourceWatch watch) {
        if (local()) {
            watch.add("order-api", api.pid(), "http://localhost:" + apiManagementPort + "/actuator/prometheus")
                    .add("order-processor", processor.pid(), "http://localhost:" + processorPort
                            + "/actuator/prometheus");
        }
    }

    /**
     * A closed loop of the run's clients: the JIT compilers should have done their work before the
     * measured steps, not in them (on a quiet 2-core machine, C2 still took a sixth of each service's
     * CPU after 60 s of 16 clients), and the more commands the warm-up carries, the sooner they finish.
     */
    @Override
    public void warmUp(Duration duration) throws InterruptedException {
        http.closed(system() + " warm-up", settings.clients(), duration, shop::next);
    }

    @Override
    public Measurement open(int rate, Duration duration) throws InterruptedException {
        HttpLoad.Result result = http.open(system() + " " + rate + "/s", rate, duration, settings.drain(),
                shop::next);
        return Measurement.of(system(), result, result.notSent() > 0 ? String.format(
                "stopped sending after %,d of %,d: 2 s of backlog", result.sent(), result.sent() + result.notSent())
                : "");
    }

    /** With wrk where installed (a C driver, as the peers have), else with the Netty driver. */
    @Override
    public Measurement closed(int clients, Duration duration) throws InterruptedException {
        if (wrk.isPresent()) {
            return wrk.get().run(system(), base, tokens, clients, duration, shop);
        }
        return Measurement.of(system(), http.closed(system() + " closed loop", clients, duration, shop::next),
                "Netty driver, " + clients + " connections (wrk not installed)");
    }

    @Override
    public void settle() throws Exception {
        if (local()) {
            try (Progress progress = Progress.elapsed("waiting until the processor has taken every command")) {
                Audit.awaitProcessed(infra.bootstrap(), "order-processor", Duration.ofMinutes(3));
            }
        }
    }

    /** After the steps: the profile (if asked for), the re-sends, the audit. */
    void finish(Report report) throws Exception {
        if (local() && settings.profile()) {
            profile(report);
        }
        resolve();
        report.storefront(shop.distinctRequests(), shop.duplicatesSent(), shop.replays(), shop.finalOutcomes());
        if (local()) {
            SideBySide.say("%s: waiting for the projection, then auditing the event log", system());
            Audit.Findings findings;
            try (Progress progress = Progress.elapsed("projection and audit")) {
                awaitProjection();
                findings = Audit.check(infra.bootstrap(), shop.finalStatusByKey(), shop.tenants(), settings.opsJar(),
                        infra.jdbc(), work.resolve("logs"));
            }
            report.audit(findings);
            SideBySide.say("audit: %s%s", findings.clean() ? "CLEAN — " : "VIOLATED — ", findings.summary());
        } else {
            SideBySide.say("audit skipped: the stack at --url is not ours to read");
        }
    }

    /**
     * One more closed loop with Flight Recorder on in both services (not in the table): where the
     * time goes when the system runs at its capacity. The JDK's own {@code jfr} tool summarises it.
     */
    private void profile(Report report) throws Exception {
        SideBySide.say("%s: profiling %d s of the closed loop with JFR (not in the table)", system(),
                settings.step().toSeconds());
        Map<String, Child> services = Map.of("order-api", api, "order-processor", processor);
        // settings=default: under settings=profile the services carried a sixth of the closed loop's rate
        for (Child service : services.values()) {
            jcmd(service.pid(), "JFR.start", "name=bench", "settings=default");
        }
        // the same driver as the closed loop's measurement (wrk where installed), so the profile is of that load
        Measurement profiled = closed(settings.clients(), settings.step());
        SideBySide.say("%s: the profiled closed loop carried %.1f/s", system(), profiled.throughput());
        for (Map.Entry<String, Child> service : services.entrySet()) {
            Path jfr = work.resolve(service.getKey() + ".jfr");
            jcmd(service.getValue().pid(), "JFR.dump", "name=bench", "filename=" + jfr.toAbsolutePath());
            jcmd(service.getValue().pid(), "JFR.stop", "name=bench");
            report.profile(service.getKey(), jfr, String.format("The profiled closed loop (%d clients) carried %.1f "
                    + "commands/s.%n%n", settings.clients(), profiled.throughput())
                    + Profile.summary(jfr, settings.serviceJdk()));
        }
        settle();
    }

    private void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Child.tool(settings.serviceJdk(), "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.appendTo(work.resolve("logs").resolve("jcmd.log").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed; see logs/jcmd.log");
        }
    }

    /** Re-sends, with their keys, the requests left at 202, 503 or unanswered, as a storefront would. */
    private void resolve() throws InterruptedException {
        for (int pass = 1; pass <= 5; pass++) {
            List<Storefront.Request> open = shop.unresolved();
            if (open.isEmpty()) {
                return;
            }
            SideBySide.say("%s: re-sending %d requests without a final answer (pass %d)", system(), open.size(), pass);
            AtomicInteger next = new AtomicInteger();
            http.closed(system() + " re-sends", Math.min(16, open.size()),
                    Duration.ofSeconds(Math.max(2, open.size() / 200 + 1)),
                    () -> shop.resend(open.get(next.getAndIncrement() % open.size())));
        }
    }

    private void awaitProjection() throws InterruptedException {
        String url = "http://localhost:" + processorPort + "/actuator/prometheus";
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                String body = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
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
        SideBySide.say("the projection still lags after 2 minutes; verifying what it has");
    }

    @Override
    public void close() {
        http.close();
        if (api != null) {
            api.close();
        }
        if (processor != null) {
            processor.close();
        }
    }
}
