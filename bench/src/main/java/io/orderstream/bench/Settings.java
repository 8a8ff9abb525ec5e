package io.orderstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run measures, from {@code bench/run.sh}'s arguments. */
record Settings(boolean quick, List<Integer> rates, Duration step, Duration warmup, Duration drain, int clients,
        List<String> systems, String url, Path out, Path work, String commit, String opsJar,
        String kafkaToolsClassPath, boolean profile) {

    static final String USAGE = """
            usage: bench/run.sh [--quick] [--rates=500,1000,2000,5000] [--seconds=30] [--warmup=60] [--clients=64]
                                [--systems=orderstream,passthrough,producerperf,postgres,redis] [--url=http://host:port]
                                [--out=bench/results] [--profile|--no-profile]
              --quick     rates 500,1000, 3 s per step after an 8 s warm-up (under 3 minutes in all)
                          instead of 30 s and 60 s: figures that include the JIT compilers' warm-up, a
                          smoke test of the whole run rather than a measurement
              --profile   one more run at the top rate with Flight Recorder in both services (default
                          without --quick), its analysis in the report
              --url       measure a running API instead of starting one (needs ORDERS_JWT_SECRET; no audit)""";

    /** Short names on the command line → systems' names in the report (peers may add a variant). */
    private static final Map<String, String> SYSTEMS = new LinkedHashMap<>();

    static {
        SYSTEMS.put("orderstream", SideBySide.ORDER_STREAM);
        SYSTEMS.put("passthrough", SideBySide.PASS_THROUGH);
        SYSTEMS.put("producerperf", io.orderstream.bench.kafka.ProducerPerformancePeer.SYSTEM);
        SYSTEMS.put("postgres", "PostgreSQL");
        SYSTEMS.put("redis", "Redis");
    }

    static Settings parse(String[] args) {
        boolean quick = false;
        Boolean profile = null;
        String rates = null;
        Integer seconds = null;
        Integer warmup = null;
        int clients = 64;
        String systems = String.join(",", SYSTEMS.keySet());
        String url = null;
        String out = "bench/results";
        String work = "bench/target/run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String commit = "unknown";
        String opsJar = "ops-cli/target/orders-ops-exec.jar";
        String kafkaTools = "bench/target/kafka-tools/*:bench/target/lib/*";
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) {
                case "--help" -> throw new IllegalArgumentException("options");
                case "--quick" -> quick = true;
                case "--no-profile" -> profile = false;
                case "--profile" -> profile = true;
                case "--rates" -> rates = value;
                case "--seconds" -> seconds = positive("--seconds", value);
                case "--clients" -> clients = positive("--clients", value);
                case "--warmup" -> warmup = positive("--warmup", value);
                case "--systems" -> systems = value;
                case "--url" -> url = value.replaceAll("/+$", "");
                case "--out" -> out = value;
                case "--work" -> work = value;
                case "--commit" -> commit = value;
                case "--ops-jar" -> opsJar = value;
                case "--kafka-tools" -> kafkaTools = value;
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        List<Integer> rateList = new ArrayList<>();
        for (String rate : (rates != null ? rates : quick ? "500,1000" : "500,1000,2000,5000").split(",")) {
            rateList.add(positive("--rates", rate.trim()));
        }
        rateList.sort(null);
        List<String> chosen = new ArrayList<>();
        for (String system : systems.split(",")) {
            String name = SYSTEMS.get(system.trim());
            if (name == null) {
                throw new IllegalArgumentException("unknown system '" + system + "'; one of " + SYSTEMS.keySet());
            }
            chosen.add(name);
        }
        int step = seconds != null ? seconds : quick ? 3 : 30;
        return new Settings(quick, List.copyOf(rateList), Duration.ofSeconds(step),
                Duration.ofSeconds(warmup != null ? warmup : quick ? 8 : 60), Duration.ofSeconds(quick ? 5 : 15), clients, List.copyOf(chosen),
                url, Path.of(out), Path.of(work), commit, opsJar, kafkaTools, profile != null ? profile : !quick);
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

    /** Heap of the services (and of the pass-through stage): the goal is 512 MB each. */
    List<String> serviceJvm() {
        return List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    }
}
