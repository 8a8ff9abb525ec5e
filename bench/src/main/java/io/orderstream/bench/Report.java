package io.orderstream.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Everything one run measured, as the Markdown report and the console table. */
final class Report {

    private static final double MB = 1024 * 1024;

    private final Settings settings;
    private final List<Measurement> measurements = new ArrayList<>();
    private final Map<String, List<ResourceWatch.Usage>> resources = new LinkedHashMap<>();
    private final Map<String, String> profiles = new LinkedHashMap<>();
    private Audit.Findings audit;
    private String storefront = "";
    private String loadBefore = "";
    private String loadAfter = "";

    Report(Settings settings) {
        this.settings = settings;
    }

    void add(Measurement measurement) {
        measurements.add(measurement);
    }

    List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    void resources(String when, List<ResourceWatch.Usage> usage) {
        resources.put(when, usage);
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
        measurements.forEach(m -> {
            if (!systems.contains(m.system())) {
                systems.add(m.system());
            }
        });
        return systems;
    }

    private List<Integer> loads() {
        TreeSet<Integer> rates = new TreeSet<>();
        measurements.forEach(m -> rates.add(m.offeredRate()));
        List<Integer> loads = new ArrayList<>(rates);
        if (loads.remove(Integer.valueOf(Measurement.CLOSED_LOOP))) {
            loads.add(Measurement.CLOSED_LOOP); // closed loop last
        }
        return loads;
    }

    private Optional<Measurement> find(String system, int rate) {
        return measurements.stream().filter(m -> m.system().equals(system) && m.offeredRate() == rate).findFirst();
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
        for (int load : loads()) {
            for (String system : systems()) {
                find(system, load).ifPresent(m -> out.append(String.format("| %s | %s | %,.0f | %s | %s | %s | %,d | %s |%n",
                        load == Measurement.CLOSED_LOOP ? "closed loop, " + m.concurrency() + " clients" : load + "/s",
                        system, m.throughput(), ms(m.p50Ms()), ms(m.p99Ms()), ms(m.p999Ms()), m.errors(),
                        (sustained(m) ? "" : "**not sustained** ") + m.note())));
            }
        }
        return out.toString();
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

    // --- goals ----------------------------------------------------------------------------------

    String goals() {
        StringBuilder out = new StringBuilder("| goal | measured | met |\n|---|---|---|\n");
        Optional<Measurement> closed = find(SideBySide.ORDER_STREAM, Measurement.CLOSED_LOOP);
        int bestRate = measurements.stream().filter(m -> m.system().equals(SideBySide.ORDER_STREAM)
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
            find(SideBySide.PASS_THROUGH, 1000).ifPresent(floor -> {
                double p50 = at1000.p50Ms() / floor.p50Ms();
                double p99 = at1000.p99Ms() / floor.p99Ms();
                goal(out, "at 1,000/s: within 1.1× of the pass-through EOS stage",
                        String.format("p50 %.2f×, p99 %.2f× (stage: %s / %s ms)", p50, p99, ms(floor.p50Ms()),
                                ms(floor.p99Ms())), p50 <= 1.1 && p99 <= 1.1);
            });
        });
        resources.entrySet().stream().filter(e -> e.getKey().startsWith(SideBySide.ORDER_STREAM + " at "))
                .findFirst().ifPresent(top -> {
                    long heap = top.getValue().stream().mapToLong(ResourceWatch.Usage::maxHeapBytes).max().orElse(0);
                    goal(out, "API and processor heap ≤ 512 MB each at the top rate", top.getValue().stream()
                            .filter(u -> u.maxHeapBytes() > 0).map(u -> String.format("%s %.0f MB", u.component(),
                                    u.maxHeapBytes() / MB)).reduce((a, b) -> a + ", " + b).orElse("—")
                            + " (most in use, -Xmx512m)", heap > 0 && heap <= 512 * MB);
                });
        return out.toString();
    }

    private static void goal(StringBuilder out, String goal, String measured, boolean met) {
        out.append("| ").append(goal).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    // --- the whole report -----------------------------------------------------------------------

    String markdown(String chart) {
        StringBuilder out = new StringBuilder();
        out.append("# Order Stream against its peers — ").append(java.time.LocalDate.now()).append(", commit `")
                .append(settings.commit()).append("`\n\n");
        out.append("- Machine: ").append(Machine.describe()).append(". Load average ").append(loadBefore)
                .append(" before the run, ").append(loadAfter).append(" after it.\n");
        out.append("- Command: `bench/run.sh").append(settings.quick() ? " --quick" : "").append("` — each rate ")
                .append(settings.step().toSeconds()).append(" s of open-loop load after a ")
                .append(settings.warmup().toSeconds()).append(" s warm-up; the closed loop ")
                .append(settings.clients()).append(" clients for ").append(settings.step().toSeconds())
                .append(" s. Everything ran on this one machine: load driver, services, broker, databases.\n");
        out.append("- Latency is measured from when a request was due (open loop, coordinated-omission corrected) ")
                .append("or sent (closed loop) to its answer, except where the note says the tool measured it.\n\n");
        out.append("## Results\n\n").append(table()).append("\n");
        out.append("A step is **not sustained** when less than 95 % of the offered rate was answered or over 1 % ")
                .append("of requests failed, timed out or were answered 202.\n\n");
        out.append("![latency against offered rate](").append(chart).append(")\n\n");
        out.append("## Ratios\n\n").append(ratios()).append("\n");
        out.append("## Goals\n\n").append(goals()).append("\n");
        if (!resources.isEmpty()) {
            out.append("## CPU and memory\n\nCores used over the step (of 2); the most resident memory seen (RSS; ")
                    .append("PSS for PostgreSQL's processes, whose shared buffers RSS counts once per backend); ")
                    .append("the most heap in use, from the service's own metrics.\n\n");
            out.append("| step | component | cores | RSS MB | PSS MB | heap MB |\n|---|---|---:|---:|---:|---:|\n");
            resources.forEach((when, usages) -> usages.forEach(u -> out.append(String.format(
                    "| %s | %s | %.2f | %.0f | %.0f | %s |%n", when, u.component(), u.cores(), u.maxRssBytes() / MB,
                    u.maxPssBytes() / MB, u.maxHeapBytes() > 0 ? String.format("%.0f", u.maxHeapBytes() / MB) : "—"))));
            out.append("\n");
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
            out.append("## Profile at capacity (JFR, `settings=profile`, one more closed loop of ")
                    .append(settings.clients()).append(" clients, not in the table)\n\n");
            profiles.forEach((service, markdown) -> out.append("### ").append(service).append("\n\n")
                    .append(markdown).append("\n"));
        }
        return out.toString();
    }
}
