package io.orderstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** What a run measures, from {@code bench/run.sh}'s options (picocli). */
record Settings(boolean quick, List<Integer> rates, Duration step, Duration warmup, Duration drain, int clients,
        int connections, List<Double> overload, List<String> systems, String url, Path out, Path work, String commit,
        String opsJar, String kafkaToolsClassPath, boolean profile, Path serviceJdk, boolean wrk) {

    /** Short names on the command line → systems' names in the report. */
    static final Map<String, String> SYSTEMS = new LinkedHashMap<>();

    static {
        SYSTEMS.put("orderstream", SideBySide.ORDER_STREAM);
        SYSTEMS.put("passthrough", io.orderstream.bench.kafka.PassThroughPeer.SYSTEM);
        SYSTEMS.put("producerperf", io.orderstream.bench.kafka.ProducerPerformancePeer.SYSTEM);
        SYSTEMS.put("postgres", "PostgreSQL");
        SYSTEMS.put("postgres-sync", "PostgreSQL (sync commit)");
        SYSTEMS.put("redis", "Redis");
    }

    @Command(name = "bench/run.sh", sortOptions = false,
            description = "Order Stream against its peers on this machine; a Markdown report, its JSON and a chart.")
    static final class Options {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "these options")
        boolean help;
        @Option(names = "--quick", description = "rates 500,1000, 3 s steps after an 8 s warm-up, no overload "
                + "steps, no profile: a smoke test of the whole run (figures include the JIT compilers at work)")
        boolean quick;
        @Option(names = "--rates", split = ",", paramLabel = "RATE",
                description = "open-loop rates per second (default 500,1000,2000,5000)")
        List<String> rates;
        @Option(names = "--seconds", description = "seconds per step (default 30)")
        String seconds;
        @Option(names = "--warmup", description = "seconds of warm-up per system (default 120)")
        String warmup;
        @Option(names = "--clients", description = "closed-loop clients (default ${DEFAULT-VALUE})", defaultValue = "64")
        String clients;
        @Option(names = "--connections", defaultValue = "256",
                description = "most HTTP connections of an open-loop step (default ${DEFAULT-VALUE})")
        String connections;
        @Option(names = "--overload", split = ",", paramLabel = "TIMES",
                description = "Order Stream's overload steps, in multiples of its closed-loop capacity "
                        + "(default 2,5; none with --quick)")
        List<Double> overload;
        @Option(names = "--systems", split = ",", paramLabel = "SYSTEM",
                description = "any of orderstream,passthrough,producerperf,postgres,postgres-sync,redis (default all)")
        List<String> systems;
        @Option(names = "--url", description = "measure a running API (needs ORDERS_JWT_SECRET; no audit, no resources)")
        String url;
        @Option(names = "--out", defaultValue = "bench/results", description = "report directory (default ${DEFAULT-VALUE})")
        Path out;
        @Option(names = "--work", description = "work directory (default bench/target/run-<time>)")
        Path work;
        @Option(names = "--profile", negatable = true,
                description = "one more closed loop with Flight Recorder in both services (default without --quick)")
        Boolean profile;
        @Option(names = "--service-jdk", paramLabel = "PATH",
                description = "the JDK the services and the pass-through stage run on (default: this JVM's)")
        Path serviceJdk;
        @Option(names = "--wrk", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "the closed loop with wrk where installed (default); --no-wrk: with the Netty driver")
        boolean wrk;
        @Option(names = "--commit", defaultValue = "unknown", hidden = true)
        String commit;
        @Option(names = "--ops-jar", defaultValue = "ops-cli/target/orders-ops-exec.jar", hidden = true)
        String opsJar;
        @Option(names = "--kafka-tools", defaultValue = "bench/target/kafka-tools/*:bench/target/lib/*", hidden = true)
        String kafkaTools;
    }

    /** Usage text, every option. */
    static String usage() {
        return new CommandLine(new Options()).getUsageMessage();
    }

    /** @throws IllegalArgumentException saying what is wrong with the arguments */
    static Settings parse(String[] args) {
        Options o = new Options();
        try {
            new CommandLine(o).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<Integer> rates = new ArrayList<>();
        for (String rate : o.rates != null ? o.rates : o.quick ? List.of("500", "1000")
                : List.of("500", "1000", "2000", "5000")) {
            rates.add(positive("--rates", rate.trim()));
        }
        rates.sort(null);
        List<String> chosen = new ArrayList<>();
        for (String system : o.systems != null ? o.systems : List.copyOf(SYSTEMS.keySet())) {
            String name = SYSTEMS.get(system.trim());
            if (name == null) {
                throw new IllegalArgumentException("unknown system '" + system + "'; one of " + SYSTEMS.keySet());
            }
            chosen.add(name);
        }
        List<Double> overload = o.overload != null ? o.overload : o.quick ? List.of() : List.of(2.0, 5.0);
        if (overload.stream().anyMatch(times -> times <= 1)) {
            throw new IllegalArgumentException("--overload takes multiples of capacity above 1, not " + overload);
        }
        if (o.serviceJdk != null && !Child.tool(o.serviceJdk, "java").toFile().canExecute()) {
            throw new IllegalArgumentException("--service-jdk: no bin/java in " + o.serviceJdk);
        }
        int step = o.seconds != null ? positive("--seconds", o.seconds) : o.quick ? 3 : 30;
        int warmup = o.warmup != null ? positive("--warmup", o.warmup) : o.quick ? 8 : 120;
        Path work = o.work != null ? o.work : Path.of("bench/target/run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new Settings(o.quick, List.copyOf(rates), Duration.ofSeconds(step), Duration.ofSeconds(warmup),
                Duration.ofSeconds(o.quick ? 5 : 15), positive("--clients", o.clients),
                positive("--connections", o.connections), List.copyOf(overload), List.copyOf(chosen),
                o.url == null ? null : o.url.replaceAll("/+$", ""), o.out, work, o.commit, o.opsJar, o.kafkaTools,
                o.profile != null ? o.profile : !o.quick, o.serviceJdk, o.wrk);
    }

    /** Whether {@code --help} or {@code --version} was asked for. */
    static boolean helpAsked(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    private static int positive(String name, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " takes a positive whole number, not '" + value + "'");
    }

    boolean wants(String system) {
        return systems.contains(system);
    }

    /**
     * Heap of the services (and of the pass-through stage): the goal is 512 MB each. Flight
     * Recorder, when the profile starts it, keeps stacks 160 frames deep (64 by default: too few
     * to reach from Jackson or Kafka's client code to the Order Stream code that called it).
     */
    List<String> serviceJvm() {
        return List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-XX:FlightRecorderOptions=stackdepth=160");
    }

    /** The services' JDK as the report names it. */
    String serviceJdkName() {
        return serviceJdk == null ? System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                : serviceJdk.toString();
    }
}
