package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {

    private final Report report = new Report(Settings.parse(new String[] {"--quick"}));

    private static Measurement m(String system, int rate, long completed, long errors, double p50, double p99) {
        return new Measurement(system, rate, rate == 0 ? 64 : 0, completed, errors, 10, p50, p99, p99 * 2, "");
    }

    @Test
    void ratios_compareOrderStreamWithEachPeer_atTheSameLoad() {
        report.add(m(SideBySide.ORDER_STREAM, 1000, 10_000, 0, 30, 80));
        report.add(m(SideBySide.PASS_THROUGH, 1000, 10_000, 0, 20, 40));
        report.add(m(SideBySide.ORDER_STREAM, 0, 30_000, 0, 40, 90));
        report.add(m("PostgreSQL", 0, 20_000, 0, 5, 10));

        String ratios = report.ratios();

        assertThat(ratios).contains("| " + SideBySide.PASS_THROUGH + " | 1000/s | 1.50× | 2.00× | 2.00× | 1.00× |");
        assertThat(ratios).contains("| PostgreSQL | closed loop | 8.00× | 9.00× | 9.00× | 1.50× |");
    }

    @Test
    void goals_sayWhichAreMet() {
        report.add(m(SideBySide.ORDER_STREAM, 1000, 10_000, 0, 12, 35));
        report.add(m(SideBySide.PASS_THROUGH, 1000, 10_000, 0, 12, 35));
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
}
