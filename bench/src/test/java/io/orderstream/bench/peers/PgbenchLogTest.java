package io.orderstream.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures: logs and output of real pgbench 15.18 runs against PostgreSQL 17. */
class PgbenchLogTest {

    private static Path fixtures() throws URISyntaxException {
        return Path.of(PgbenchLogTest.class.getResource("pgbench-15-closed.out").toURI()).getParent();
    }

    @Test
    void readsEveryThreadsLogAndCountsFailures() throws Exception {
        // --rate=500 -c 4 -j 2 on a hot row under REPEATABLE READ: two files, serialization failures
        PgbenchLog log = PgbenchLog.read(fixtures(), "pgbench-hot");

        assertThat(log.completed()).isEqualTo(469);
        assertThat(log.failed()).isEqualTo(505);
        assertThat(log.skipped()).isZero();
    }

    @Test
    void meanOfTheLogIsPgbenchsOwnLatencyAverage() throws Exception {
        PgbenchLog log = PgbenchLog.read(fixtures(), "pgbench-hot");
        String output = Files.readString(fixtures().resolve("pgbench-15-rate-failures.out"));

        assertThat(PgbenchLog.printedLatencyAverageMs(output)).hasValue(3.199);
        assertThat(log.meanMs()).isCloseTo(3.199, within(0.0005));
        assertThat(output).contains("number of transactions actually processed: 469")
                .contains("number of failed transactions: 505");
    }

    @Test
    void percentilesAreThoseOfTheLoggedTimes() throws Exception {
        PgbenchLog log = PgbenchLog.read(fixtures(), "pgbench-hot");
        long[] sorted;
        try (Stream<String> lines = Stream.concat(Files.lines(fixtures().resolve("pgbench-hot.21474")),
                Files.lines(fixtures().resolve("pgbench-hot.21474.1")))) {
            sorted = lines.map(l -> l.split(" ")[2]).filter(t -> !t.equals("failed")).mapToLong(Long::parseLong)
                    .sorted().toArray();
        }
        for (double p : new double[] {50, 99, 99.9}) {
            long nearestRank = sorted[(int) Math.ceil(p / 100 * sorted.length) - 1];
            // HdrHistogram with 3 significant digits: within 0.1 %
            assertThat(log.ms(p)).as("p%s", p).isCloseTo(nearestRank / 1000.0, within(nearestRank / 1000.0 * 0.001));
        }
        assertThat(log.ms(100)).isCloseTo(sorted[sorted.length - 1] / 1000.0, within(0.01));
    }

    @Test
    void closedLoopLogHasNoScheduleLagColumn() throws Exception {
        PgbenchLog log = PgbenchLog.read(fixtures(), "pgbench-closed");

        assertThat(log.completed()).isEqualTo(30);
        assertThat(log.failed()).isZero();
        assertThat(log.ms(50)).isCloseTo(0.876, within(0.001)); // 15th of the 30 sorted times
        assertThat(PgbenchLog.printedLatencyAverageMs(Files.readString(fixtures().resolve("pgbench-15-closed.out"))))
                .hasValue(1.755);
    }

    @Test
    void skippedAndFailedLinesAreErrors() {
        PgbenchLog log = PgbenchLog.parse(Stream.of(
                "0 1 1500 0 1795701881 723867 33",
                "0 2 skipped 0 1795701881 724255 61000",
                "1 1 failed 0 1795701881 725576 48",
                "1 2 2500 0 1795701881 726576 12",
                ""));

        assertThat(log.completed()).isEqualTo(2);
        assertThat(log.failed()).isEqualTo(1);
        assertThat(log.skipped()).isEqualTo(1);
        assertThat(log.meanMs()).isEqualTo(2.0);
    }

    @Test
    void nothingCompletedGivesNaN() {
        PgbenchLog log = PgbenchLog.parse(Stream.of("0 1 failed 0 1795701881 725576"));

        assertThat(log.ms(50)).isNaN();
        assertThat(log.meanMs()).isNaN();
    }

    @Test
    void refusesWhatIsNotALogAndMissingLogs(@TempDir Path empty) throws IOException {
        assertThatThrownBy(() -> PgbenchLog.parse(Stream.of("pgbench (15.18 (Debian 15.18-0+deb12u1))")))
                .isInstanceOf(IllegalArgumentException.class);
        Files.writeString(empty.resolve("run-output.txt"), "latency average = 1.0 ms");
        assertThatThrownBy(() -> PgbenchLog.read(empty, "run")).hasMessageContaining("pgbench wrote no log");
    }
}
