package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @BeforeAll
    static void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
    }

    @Test
    void ownJvmUsesCpuAndMemory() {
        long pid = ProcessHandle.current().pid();
        ProcessStats.Sample before = ProcessStats.sample(pid);
        long start = System.nanoTime();
        // 300 ms of this thread's own CPU (on a shared machine that may take far longer in wall time)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long threadStart = threads.getCurrentThreadCpuTime();
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() - threadStart < 300_000_000L) {
            sink += Long.numberOfTrailingZeros(sink ^ System.nanoTime());
        }
        long threadCpu = threads.getCurrentThreadCpuTime() - threadStart;
        ProcessStats.Sample after = ProcessStats.sample(pid);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);

        assertThat(sink).isNotNegative();
        assertThat(after.processes()).isGreaterThanOrEqualTo(1);
        assertThat(after.rssBytes()).isPositive();
        assertThat(after.pssBytes()).isPositive().isLessThanOrEqualTo(after.rssBytes());
        // the process used at least what this one thread did, less a clock tick or two of rounding
        assertThat(after.cpuNanos() - before.cpuNanos()).isGreaterThan(threadCpu - 50_000_000L);
        assertThat(ProcessStats.cores(before, after, wall)).isGreaterThan((threadCpu - 50_000_000L) / (double) wall.toNanos());
    }

    @Test
    void childrenCount() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "5").start();
        try {
            ProcessStats.Sample withChild = ProcessStats.sample(ProcessHandle.current().pid());
            assertThat(withChild.processes()).isGreaterThanOrEqualTo(2);
        } finally {
            sleeper.destroy();
        }
    }

    @Test
    void goneProcessGivesEmptySample() {
        ProcessStats.Sample none = ProcessStats.sample(Integer.MAX_VALUE);
        assertThat(none).isEqualTo(new ProcessStats.Sample(0, 0, 0, 0));
    }

    @Test
    void coresIsCpuPerWallTime() {
        var before = new ProcessStats.Sample(1_000_000_000L, 0, 0, 1);
        var after = new ProcessStats.Sample(4_000_000_000L, 0, 0, 1);
        assertThat(ProcessStats.cores(before, after, Duration.ofSeconds(2))).isEqualTo(1.5);
        assertThat(ProcessStats.cores(before, after, Duration.ZERO)).isZero();
    }

    @Test
    void statLineWithSpacesAndParensInComm() {
        String stat = "4242 (kafka (x) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 300 20 5 20 0 40 0 123 456 789";
        assertThat(ProcessStats.cpuTicks(stat)).contains(700L + 300 + 20 + 5);
        assertThat(ProcessStats.cpuTicks("4242 (short) S 1 2")).isEmpty();
    }

    @Test
    void statusLines() {
        assertThat(ProcessStats.kb("Name:\tjava\nVmRSS:\t  123456 kB\n", "VmRSS:")).contains(123456L);
        assertThat(ProcessStats.kb("Name:\tjava\n", "VmRSS:")).isEmpty();
    }
}
