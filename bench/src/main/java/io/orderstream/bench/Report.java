package io.orderstream.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Everything one run measured: the console table, the Markdown report and the same figures as JSON. */
final class Report {

    private static final double MB = 1024 * 1024;
    /** The load driver's budget: the system measured should have the machine, not its driver. */
    static final double DRIVER_BUDGET_MS = 0.05;
    static final String DRIVER = "load driver";

    /**
     * One step: what it measured and what each process used meanwhile.
     *
     * @param overload the multiple of capacity offered in an overload step, 0 otherwise
     */
    record Step(Measurement m, List<ResourceWatch.Usage> usage, double overload) {

        String load() {
            return m.closedLoop() ? "closed loop, " + m.concurrency() + " clients"
                    : overload > 0 ? String.format("%,d/s (%.0f× capacity)", m.offeredRate(), overload)
                    : m.offeredRate() + "/s";
        }

        long requests() {
            return m.completed() + m.errors();
        }

        Optional<ResourceWatch.Usage> component(String name) {
            return usage.stream().filter(u -> u.component().startsWith(name)).findFirst();
        }
    }

    private final Settings settings;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, String> profiles = new LinkedHashMap<>();
    private Audit.Findings audit;
    private String storefront = "";
    private String loadBefore = "";
    private String loadAfter = "";

    Report(Settings settings) {
        this.settings = settings;
    }

    void add(Measurement measurement, List<ResourceWatch.Usage> usage, double overload) {
        steps.add(new Step(measurement, List.copyOf(usage), overload));
    }

    void add(Measurement measurement) {
        add(measurement, List.of(), 0);
    }

    List<Measurement> measurements() {
        return steps.stream().map(Step::m).toList();
    }

    void profile(String service, Path jfr, String markdown) {
        profiles.put(service + " (`" + jfr.getFileName() + "`)", markdown);
    }

    void audit(Audit.Findings findings) {
        this.audit = findings;
    }

    void storefront(long distinct, long duplicates, long replays, Map<Integer, Long> outcomes) {
        storefront = String.format("%,d distinct requests and %,d re-sent copies of them (%.0f %% of all sent); "
                        + "%,d answers were replays (`Idempotent-Replayed`). Final answer per key: %s", distinct,
                duplicates, 100.0 * duplicates / Math.max(1, distinct + duplicates), replays, outcomes);
    }

    void loadBefore(String load) {
        loadBefore = load;
    }

    void loadAfter(String load) {
        loadAfter = load;
    }

    // --- the table ------------------------------------------------------------------------------

    private List<String> systems() {
        List<String> systems = new ArrayList<>();
        steps.forEach(s -> {
            if (!systems.contains(s.m().system())) {
                systems.add(s.m().system());
            }
        });
        return systems;
    }

    private List<Integer> loads() {
        TreeSet<Integer> rates = new TreeSet<>();
        steps.forEach(s -> rates.add(s.m().offeredRate()));
        List<Integer> loads = new ArrayList<>(rates);
        if (loads.remove(Integer.valueOf(Measurement.CLOSED_LOOP))) {
            loads.add(Measurement.CLOSED_LOOP); // closed loop last
        }
        return loads;
    }

    private Optional<Measurement> find(String system, int rate) {
        return steps.stream().map(Step::m).filter(m -> m.system().equals(system) && m.offeredRate() == rate)
                .findFirst();
    }

    private List<Step> ordered() {
        List<Step> ordered = new ArrayList<>();
        for (int load : loads()) {
            for (String system : systems()) {
                steps.stream().filter(s -> s.m().system().equals(system) && s.m().offeredRate() == load)
                        .forEach(ordered::add);
            }
        }
        return ordered;
    }

    static boolean sustained(Measurement m) {
        return m.closedLoop() || (m.throughput() >= 0.95 * m.offeredRate()
                && m.errors() <= 0.01 * (m.completed() + m.errors()));
    }

    /** One row per system and load. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| load | system | throughput/s | p50 ms | p99 ms | p99.9 ms | errors | note |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Step s : ordered()) {
            Measurement m = s.m();
            out.append(String.format("| %s | %s | %,.0f | %s | %s | %s | %s | %s |%n", s.load(), m.system(),
                    m.throughput(), ms(m.p50Ms()), ms(m.p99Ms()), ms(m.p999Ms()), errors(m),
                    ((sustained(m) ? "" : "**not sustained** ") + m.note()).trim()));
        }
        return out.toString();
    }

    private static String errors(Measurement m) {
        if (m.errors() == 0) {
            return "0";
        }
        StringBuilder kinds = new StringBuilder(String.format("%,d", m.errors()));
        if (!m.errorKinds().isEmpty() && !m.errorKinds().keySet().equals(java.util.Set.of("failed"))) {
            kinds.append(" (");
            new java.util.TreeMap<>(m.errorKinds()).forEach((kind, count) -> kinds.append(kind).append(": ")
                    .append(String.format("%,d", count)).append(", "));
            kinds.setLength(kinds.length() - 2);
            kinds.append(')');
        }
        return kinds.toString();
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "—" : value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }

    /** Order Stream ÷ each peer: latency ratios at each rate (below 1: faster), throughput in the closed loop. */
    String ratios() {
        StringBuilder out = new StringBuilder();
        out.append("| Order Stream ÷ peer | load | p50 | p99 | p99.9 | throughput |\n|---|---|---:|---:|---:|---:|\n");
        for (String peer : systems()) {
            if (peer.equals(SideBySide.ORDER_STREAM)) {
                continue;
            }
            for (int load : loads()) {
                Optional<Measurement> ours = find(SideBySide.ORDER_STREAM, load);
                Optional<Measurement> theirs = find(peer, load);
                if (ours.isPresent() && theirs.isPresent()) {
                    Measurement a = ours.get();
                    Measurement b = theirs.get();
                    out.append(String.format("| %s | %s | %s | %s | %s | %s |%n", peer,
                            load == 0 ? "closed loop" : load + "/s", ratio(a.p50Ms(), b.p50Ms()),
                            ratio(a.p99Ms(), b.p99Ms()), ratio(a.p999Ms(), b.p999Ms()),
                            ratio(a.throughput(), b.throughput())));
                }
            }
        }
        return out.toString();
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "—" : String.format("%.2f×", a / b);
    }

    // --- CPU and memory -------------------------------------------------------------------------

    private List<String> components() {
        List<String> names = new ArrayList<>();
        steps.forEach(s -> s.usage().forEach(u -> {
            if (!names.contains(u.component())) {
                names.add(u.component());
            }
        }));
        return names;
    }

    /** Milliseconds of CPU per command answered with success, per component, for every step watched. */
    String cpuPerCommand() {
        List<String> components = components();
        StringBuilder out = new StringBuilder("| system | load | commands/s |");
        components.forEach(c -> out.append(' ').append(c).append(" |"));
        out.append(" all |\n|---|---|---:|");
        components.forEach(c -> out.append("---:|"));
        out.append("---:|\n");
        for (Step s : ordered()) {
            if (s.usage().isEmpty()) {
                continue;
            }
            out.append(String.format("| %s | %s | %,.0f |", s.m().system(), s.load(), s.m().throughput()));
            long total = 0;
            for (String component : components) {
                Optional<ResourceWatch.Usage> u = s.usage().stream().filter(x -> x.component().equals(component))
                        .findFirst();
                out.append(' ').append(u.map(x -> cpuMs(x.cpuMsPer(s.m().completed()))).orElse("")).append(" |");
                total += u.map(ResourceWatch.Usage::cpuNanos).orElse(0L);
            }
            out.append(' ').append(cpuMs(s.m().completed() > 0 ? total / 1e6 / s.m().completed() : Double.NaN))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String cpuMs(double value) {
        return Double.isNaN(value) ? "—" : value >= 10 ? String.format("%,.1f", value) : String.format("%.3f", value);
    }

    /** Cores used and the most memory seen, per component, for every step watched. */
    String resources() {
        StringBuilder out = new StringBuilder("| system | load | component | cores | RSS MB | PSS MB | heap MB |\n"
                + "|---|---|---|---:|---:|---:|---:|\n");
        for (Step s : ordered()) {
            for (ResourceWatch.Usage u : s.usage()) {
                out.append(String.format("| %s | %s | %s | %.2f | %.0f | %.0f | %s |%n", s.m().system(), s.load(),
                        u.component(), u.cores(), u.maxRssBytes() / MB, u.maxPssBytes() / MB,
                        u.maxHeapBytes() > 0 ? String.format("%.0f", u.maxHeapBytes() / MB) : "—"));
            }
        }
        return out.toString();
    }

    /** Order Stream offered more than it takes: goodput, the 503s and the API's memory. */
    String overload() {
        StringBuilder out = new StringBuilder("| offered | goodput/s | of offered | 503 with Retry-After | other "
                + "errors | p99 ms | API RSS MB | API heap MB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Step s : steps) {
            if (s.overload() == 0) {
                continue;
            }
            Measurement m = s.m();
            long shed = m.errorKinds().getOrDefault("503 with Retry-After", 0L);
            Optional<ResourceWatch.Usage> api = s.component("order-api");
            out.append(String.format("| %s | %,.0f | %.0f %% | %,d | %,d | %s | %s | %s |%n", s.load(),
                    m.throughput(), 100 * m.throughput() / m.offeredRate(), shed, m.errors() - shed, ms(m.p99Ms()),
                    api.map(u -> String.format("%.0f", u.maxRssBytes() / MB)).orElse("—"),
                    api.filter(u -> u.maxHeapBytes() > 0).map(u -> String.format("%.0f", u.maxHeapBytes() / MB))
                            .orElse("—")));
        }
        return out.toString();
    }

    // --- goals ----------------------------------------------------------------------------------

    String goals() {
        StringBuilder out = new StringBuilder("| goal | measured | met |\n|---|---|---|\n");
        Optional<Measurement> closed = find(SideBySide.ORDER_STREAM, Measurement.CLOSED_LOOP);
        int bestRate = steps.stream().map(Step::m).filter(m -> m.system().equals(SideBySide.ORDER_STREAM)
                && !m.closedLoop() && sustained(m)).mapToInt(Measurement::offeredRate).max().orElse(0);
        double sustainedRate = Math.max(bestRate, closed.map(Measurement::throughput).orElse(0.0));
        goal(out, "≥ 5,000 commands/s sustained end to end", String.format(
                "%,.0f/s (closed loop %s; highest open-loop rate kept up with: %s)", sustainedRate,
                closed.map(m -> String.format("%,.0f/s", m.throughput())).orElse("—"),
                bestRate == 0 ? "none" : String.format("%,d/s", bestRate)), sustainedRate >= 5000);
        Optional<Measurement> postgres = find("PostgreSQL", Measurement.CLOSED_LOOP);
        if (closed.isPresent() && postgres.isPresent()) {
            double r = closed.get().throughput() / postgres.get().throughput();
            goal(out, "≥ 1.2× the PostgreSQL peer's throughput", String.format("%.2f× (%,.0f/s against %,.0f/s)", r,
                    closed.get().throughput(), postgres.get().throughput()), r >= 1.2);
        }
        find(SideBySide.ORDER_STREAM, 1000).ifPresent(at1000 -> {
            goal(out, "at 1,000/s: p50 ≤ 15 ms", ms(at1000.p50Ms()) + " ms", at1000.p50Ms() <= 15);
            goal(out, "at 1,000/s: p99 ≤ 40 ms", ms(at1000.p99Ms()) + " ms", at1000.p99Ms() <= 40);
            find(io.orderstream.bench.kafka.PassThroughPeer.SYSTEM, 1000).ifPresent(floor -> {
                double p50 = at1000.p50Ms() / floor.p50Ms();
                double p99 = at1000.p99Ms() / floor.p99Ms();
                goal(out, "at 1,000/s: within 1.1× of the pass-through EOS stage",
                        String.format("p50 %.2f×, p99 %.2f× (stage: %s / %s ms)", p50, p99, ms(floor.p50Ms()),
                                ms(floor.p99Ms())), p50 <= 1.1 && p99 <= 1.1);
            });
        });
        int top = steps.stream().filter(s -> s.m().system().equals(SideBySide.ORDER_STREAM) && s.overload() == 0
                && !s.m().closedLoop()).mapToInt(s -> s.m().offeredRate()).max().orElse(-1);
        steps.stream().filter(s -> s.m().system().equals(SideBySide.ORDER_STREAM) && s.m().offeredRate() == top
                && s.overload() == 0).findFirst().ifPresent(s -> {
                    long heap = s.usage().stream().mapToLong(ResourceWatch.Usage::maxHeapBytes).max().orElse(0);
                    goal(out, "API and processor heap ≤ 512 MB each at the top rate", s.usage().stream()
                            .filter(u -> u.maxHeapBytes() > 0).map(u -> String.format("%s %.0f MB", u.component(),
                                    u.maxHeapBytes() / MB)).reduce((a, b) -> a + ", " + b).orElse("—")
                            + " (most in use, -Xmx512m)", heap > 0 && heap <= 512 * MB);
                });
        // the driver's own cost, per request it sent, at each of Order Stream's open-loop steps
        double worst = 0;
        String where = "";
        for (Step s : steps) {
            Optional<ResourceWatch.Usage> driver = s.component(DRIVER);
            if (s.m().system().equals(SideBySide.ORDER_STREAM) && !s.m().closedLoop() && driver.isPresent()
                    && s.requests() > 0) {
                double perRequest = driver.get().cpuMsPer(s.requests());
                if (perRequest > worst) {
                    worst = perRequest;
                    where = s.load();
                }
            }
        }
        if (!where.isEmpty()) {
            goal(out, "load driver ≤ " + DRIVER_BUDGET_MS + " ms CPU per request (open loop)",
                    String.format("at most %.3f ms (at %s)", worst, where), worst <= DRIVER_BUDGET_MS);
        }
        return out.toString();
    }

    private static void goal(StringBuilder out, String goal, String measured, boolean met) {
        out.append("| ").append(goal).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    // --- the whole report -----------------------------------------------------------------------

    String markdown(String chart, String json) {
        StringBuilder out = new StringBuilder();
        out.append("# Order Stream against its peers — ").append(LocalDate.now()).append(", commit `")
                .append(settings.commit()).append("`\n\n");
        out.append("- Machine: ").append(Machine.describe()).append(". Load average ").append(loadBefore)
                .append(" before the run, ").append(loadAfter).append(" after it.\n");
        out.append("- Services (and the pass-through stage) on ").append(settings.serviceJdkName()).append(".\n");
        out.append("- Command: `bench/run.sh").append(settings.quick() ? " --quick" : "").append("` — each rate ")
                .append(settings.step().toSeconds()).append(" s of open-loop load after a ")
                .append(settings.warmup().toSeconds()).append(" s warm-up; the closed loop ")
                .append(settings.clients()).append(" clients for ").append(settings.step().toSeconds())
                .append(" s. Everything ran on this one machine: load driver, services, broker, databases.\n");
        out.append("- Latency is measured from when a request was due (open loop, coordinated-omission corrected) ")
                .append("or sent (closed loop) to its answer, except where the note says the tool measured it.\n");
        out.append("- Every figure of this report is also in [`").append(json).append("`](").append(json)
                .append("), one object per step.\n\n");
        out.append("## Results\n\n").append(table()).append("\n");
        out.append("A step is **not sustained** when less than 95 % of the offered rate was answered or over 1 % ")
                .append("of requests failed, timed out or were answered 202 or 503.\n\n");
        out.append("![latency against offered rate](").append(chart).append(")\n\n");
        if (steps.stream().anyMatch(s -> s.overload() > 0)) {
            out.append("## Overload\n\nOrder Stream offered a multiple of what its closed loop sustained: what it ")
                    .append("still answered with success (goodput), the requests it shed with 503 and ")
                    .append("`Retry-After`, and the API's memory meanwhile.\n\n").append(overload()).append("\n");
        }
        out.append("## Ratios\n\n").append(ratios()).append("\n");
        out.append("## Goals\n\n").append(goals()).append("\n");
        if (steps.stream().anyMatch(s -> !s.usage().isEmpty())) {
            out.append("## CPU per command\n\nMilliseconds of CPU (user + system, from `/proc`) per command ")
                    .append("answered with success, by process, over each step. The load driver is the bench's ")
                    .append("JVM with the tools it ran and waited for (wrk, pgbench, redis-benchmark, ")
                    .append("ProducerPerformance); the broker and PostgreSQL are shared by every system.\n\n")
                    .append(cpuPerCommand()).append("\n");
            out.append("## CPU and memory\n\nCores used over the step (of ")
                    .append(Runtime.getRuntime().availableProcessors())
                    .append("); the most resident memory seen (RSS; PSS for PostgreSQL's processes, whose shared ")
                    .append("buffers RSS counts once per backend); the most heap in use, from the service's own ")
                    .append("metrics.\n\n").append(resources()).append("\n");
        }
        out.append("## Correctness under the load\n\n");
        if (!storefront.isEmpty()) {
            out.append("- Storefronts: ").append(storefront).append("\n");
        }
        if (audit != null) {
            out.append("- Audit after the load: ").append(audit.clean() ? "**clean**. " : "**VIOLATED**. ")
                    .append(audit.summary()).append("\n");
        }
        out.append("\n");
        if (!profiles.isEmpty()) {
            out.append("## Profile at capacity (JFR, `settings=default`, one more closed loop of ")
                    .append(settings.clients()).append(" clients, not in the table)\n\n");
            profiles.forEach((service, markdown) -> out.append("### ").append(service).append("\n\n")
                    .append(markdown).append("\n"));
        }
        return out.toString();
    }

    // --- the same figures as JSON ---------------------------------------------------------------

    String json() {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("date", LocalDate.now().toString());
        run.put("commit", settings.commit());
        run.put("quick", settings.quick());
        run.put("machine", Machine.describe());
        run.put("loadAverageBefore", loadBefore);
        run.put("loadAverageAfter", loadAfter);
        run.put("serviceJdk", settings.serviceJdkName());
        run.put("stepSeconds", settings.step().toSeconds());
        run.put("warmupSeconds", settings.warmup().toSeconds());
        run.put("clients", settings.clients());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Step s : steps) {
            Measurement m = s.m();
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("system", m.system());
            step.put("load", m.closedLoop() ? "closed" : s.overload() > 0 ? "overload" : "open");
            step.put("offeredRate", m.closedLoop() ? null : m.offeredRate());
            step.put("overloadTimesCapacity", s.overload() > 0 ? s.overload() : null);
            step.put("clients", m.closedLoop() ? m.concurrency() : null);
            step.put("achievedRate", round(m.throughput()));
            step.put("seconds", round(m.seconds()));
            step.put("completed", m.completed());
            step.put("errors", m.errors());
            step.put("errorsByKind", new java.util.TreeMap<>(m.errorKinds()));
            step.put("sustained", sustained(m));
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("p50", number(m.p50Ms()));
            latency.put("p99", number(m.p99Ms()));
            latency.put("p99.9", number(m.p999Ms()));
            step.put("latencyMs", latency);
            List<Map<String, Object>> components = new ArrayList<>();
            for (ResourceWatch.Usage u : s.usage()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("component", u.component());
                c.put("cores", round(u.cores()));
                c.put("cpuSeconds", round(u.cpuNanos() / 1e9));
                c.put("cpuMsPerCommand", number(u.cpuMsPer(m.completed())));
                c.put("cpuMsPerRequest", number(u.cpuMsPer(s.requests())));
                c.put("maxRssMb", round(u.maxRssBytes() / MB));
                c.put("maxPssMb", round(u.maxPssBytes() / MB));
                c.put("maxHeapMb", u.maxHeapBytes() > 0 ? round(u.maxHeapBytes() / MB) : null);
                components.add(c);
            }
            step.put("components", components);
            step.put("note", m.note());
            list.add(step);
        }
        run.put("steps", list);
        if (audit != null) {
            run.put("audit", Map.of("clean", audit.clean(), "summary", audit.summary()));
        }
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(run);
    }

    private static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : round(value);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
