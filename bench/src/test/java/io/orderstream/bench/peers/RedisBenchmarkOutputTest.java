package io.orderstream.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Fixture: the stdout of Debian 12's redis-benchmark 7.0.15, progress lines with carriage returns included. */
class RedisBenchmarkOutputTest {

    private static String fixture() throws Exception {
        try (var in = RedisBenchmarkOutputTest.class.getResourceAsStream("redis-benchmark-7.0.15-set-nx.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsCountsAndThroughput() throws Exception {
        RedisBenchmarkOutput out = RedisBenchmarkOutput.parse(fixture());

        assertThat(out.requests()).isEqualTo(20_000);
        assertThat(out.clients()).isEqualTo(8);
        assertThat(out.throughput()).isEqualTo(64724.92);
        assertThat(out.seconds()).isCloseTo(0.309, within(0.001)); // printed rounded: 0.31
        assertThat(out.save()).isEqualTo("3600 1 300 100 60 10000");
        assertThat(out.appendonly()).isEqualTo("no");
    }

    @Test
    void p50AndP99FromTheSummaryP999FromTheDistributionLines() throws Exception {
        RedisBenchmarkOutput out = RedisBenchmarkOutput.parse(fixture());

        assertThat(out.p50Ms()).isEqualTo(0.071);
        assertThat(out.p99Ms()).isEqualTo(0.415);
        // 99.9 % of 20,000 = 19,980: "99.900% <= 0.903 milliseconds (cumulative count 19980)" is the first
        // line to reach it; the percentile block's "99.902% <= 0.959" is a looser bound
        assertThat(out.p999Ms()).isEqualTo(0.903);
    }

    @Test
    void withoutSummaryPercentilesComeFromTheLines() throws Exception {
        String withoutSummary = fixture().substring(0, fixture().indexOf("latency summary"));

        RedisBenchmarkOutput out = RedisBenchmarkOutput.parse(withoutSummary);

        assertThat(out.p50Ms()).isEqualTo(0.071); // 50.000% <= 0.071 (11136 >= 10000)
        assertThat(out.p99Ms()).isEqualTo(0.439); // 99.219% <= 0.439 (19853 >= 19800)
    }

    @Test
    void aFailedRunIsRefused() {
        assertThatThrownBy(() -> RedisBenchmarkOutput.parse("Could not connect to Redis at 127.0.0.1:1: Connection refused\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Connection refused");
    }

    @Test
    void keyspaceGivesTwentyPercentDuplicates() {
        long range = RedisPeer.keyspaceFor(20_000, 0.20);

        assertThat((double) range / 20_000).isCloseTo(2.154, within(0.001));
        assertThat(RedisPeer.duplicateShare(20_000.0 / range)).isCloseTo(0.20, within(0.0001));
        // the run captured in the fixture used -r 43000 and left 15,913 keys: 20.4 % duplicates
        assertThat(1 - 15_913 / 20_000.0).isCloseTo(RedisPeer.duplicateShare(20_000.0 / 43_000), within(0.01));
    }
}
