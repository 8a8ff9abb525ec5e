package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportTest {

    private final Report report = new Report(Settings.parse(new String[] {"--quick"}));

    private static Measurement m(String system, int rate, long completed, long errors, double p50, double p99) {
        return new Measurement(system, rate, rate == 0 ? 64 : 0, completed, errors, 10, p50, p99, p99 * 2, "");
    }

    @Test
    void ratios_compareOrderStreamWithEachPeer_atTheSameLoad() {
        report.add(m(SideBySide.ORDER_STREAM, 1000, 10_000, 0, 30, 80));
        report.add(m(io.orderstream.bench.kafka.PassThroughPeer.SYSTEM, 1000, 10_000, 0, 20, 40));
        report.add(m(SideBySide.ORDER_STREAM, 0, 30_000, 0, 40, 90));
        report.add(m("PostgreSQL", 0, 20_000, 0, 5, 10));

        String ratios = report.ratios();

        assertThat(ratios).contains("| " + io.orderstream.bench.kafka.PassThroughPeer.SYSTEM + " | 1000/s | 1.50× | 2.00× | 2.00× | 1.00× |");
        assertThat(ratios).contains("| PostgreSQL | closed loop | 8.00× | 9.00× | 9.00× | 1.50× |");
    }

    @Test
    void goals_sayWhichAreMet() {
        report.add(m(SideBySide.ORDER_STREAM, 1000, 10_000, 0, 12, 35));
        report.add(m(io.orderstream.bench.kafka.PassThroughPeer.SYSTEM, 1000, 10_000, 0, 12, 35));
        report.add(m(SideBySide.ORDER_STREAM, 0, 30_000, 0, 40, 90));
        report.add(m("PostgreSQL", 0, 20_000, 0, 5, 10));

        String goals = report.goals();

        assertThat(goals).contains("| ≥ 5,000 commands/s sustained end to end | 3,000/s");
        assertThat(goals).contains("| ≥ 1.2× the PostgreSQL peer's throughput | 1.50× (3,000/s against 2,000/s) | yes |");
        assertThat(goals).contains("| at 1,000/s: p50 ≤ 15 ms | 12.00 ms | yes |");
        assertThat(goals).contains("within 1.1× of the pass-through EOS stage | p50 1.00×, p99 1.00×");
        assertThat(goals.lines().filter(l -> l.startsWith("| ≥ 5,000")).findFirst().orElseThrow())
                .endsWith("| **no** |");
    }

    @Test
    void aStepThatFellBehind_isMarkedNotSustained() {
        report.add(m(SideBySide.ORDER_STREAM, 5000, 30_000, 20_000, 900, 4000)); // 3,000/s of 5,000 offered

        assertThat(report.table()).contains("| 5000/s | Order Stream | 3,000 | 900 | 4,000 | 8,000 | 20,000 | **not sustained**");
        assertThat(Report.sustained(m(SideBySide.ORDER_STREAM, 1000, 9_600, 0, 1, 1))).isTrue();
        assertThat(Report.sustained(m(SideBySide.ORDER_STREAM, 1000, 9_600, 200, 1, 1))).isFalse();
    }

    private static ResourceWatch.Usage usage(String component, double cpuSeconds, long rssMb, long heapMb) {
        return new ResourceWatch.Usage(component, cpuSeconds / 10, (long) (cpuSeconds * 1e9), rssMb << 20, rssMb << 20,
                heapMb << 20);
    }

    @Test
    void cpuPerCommand_isEachComponentsCpuOverTheCommandsAnswered_andTheDriverHasItsBudget() {
        // 10 s at 1,000/s: 10,000 commands; the API used 5 s of CPU, the driver 0.3 s
        report.add(m(SideBySide.ORDER_STREAM, 1000, 10_000, 0, 12, 35), List.of(usage("order-api", 5, 300, 120),
                usage("order-processor", 3, 400, 200), usage("load driver", 0.3, 200, 0)), 0);
        report.add(m("PostgreSQL", 1000, 10_000, 0, 2, 5), List.of(usage("PostgreSQL", 2, 100, 0),
                usage("load driver", 0.8, 10, 0)), 0);

        String cpu = report.cpuPerCommand();

        assertThat(cpu).contains("| system | load | commands/s | order-api | order-processor | load driver | PostgreSQL | all |");
        assertThat(cpu).contains("| Order Stream | 1000/s | 1,000 | 0.500 | 0.300 | 0.030 |  | 0.830 |");
        assertThat(cpu).contains("| PostgreSQL | 1000/s | 1,000 |  |  | 0.080 | 0.200 | 0.280 |");
        assertThat(report.goals()).contains("| load driver ≤ 0.05 ms CPU per request (open loop) | at most 0.030 ms "
                + "(at 1000/s) | yes |");
    }

    @Test
    void overloadSteps_showGoodputShedRequestsAndTheApisMemory() {
        report.add(new Measurement(SideBySide.ORDER_STREAM, 4000, 0, 20_000, 20_000, 10, 5, 50, 90, "",
                Map.of("503 with Retry-After", 19_000L, "no answer", 1_000L)), List.of(usage("order-api", 9, 450, 300)),
                2);

        assertThat(report.overload()).contains("| 4,000/s (2× capacity) | 2,000 | 50 % | 19,000 | 1,000 | 50.00 | 450 | 300 |");
        assertThat(report.table()).contains("20,000 (503 with Retry-After: 19,000, no answer: 1,000)");
    }

    @Test
    void theJson_holdsEveryStepWithItsFigures() throws Exception {
        report.add(m(SideBySide.ORDER_STREAM, 1000, 10_000, 0, 12, 35), List.of(usage("order-api", 5, 300, 120)), 0);
        report.add(new Measurement("Redis", 0, 64, 50_000, 0, 10, 0.2, Double.NaN, 1, "redis-benchmark"));

        JsonNode json = JsonMapper.builder().build().readTree(report.json());

        assertThat(json.get("steps")).hasSize(2);
        JsonNode first = json.get("steps").get(0);
        assertThat(first.get("system").asString()).isEqualTo("Order Stream");
        assertThat(first.get("load").asString()).isEqualTo("open");
        assertThat(first.get("offeredRate").asInt()).isEqualTo(1000);
        assertThat(first.get("achievedRate").asDouble()).isEqualTo(1000.0);
        assertThat(first.get("latencyMs").get("p99").asDouble()).isEqualTo(35.0);
        assertThat(first.get("components").get(0).get("cpuMsPerCommand").asDouble()).isEqualTo(0.5);
        assertThat(first.get("components").get(0).get("maxHeapMb").asDouble()).isEqualTo(120.0);
        JsonNode redis = json.get("steps").get(1);
        assertThat(redis.get("load").asString()).isEqualTo("closed");
        assertThat(redis.get("clients").asInt()).isEqualTo(64);
        assertThat(redis.get("latencyMs").get("p99").isNull()).isTrue(); // the tool gave none
    }
}
