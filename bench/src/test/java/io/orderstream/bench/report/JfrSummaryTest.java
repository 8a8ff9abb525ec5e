package io.orderstream.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrSummaryTest {

    @TempDir
    Path dir;

    static volatile long sink;

    @Test
    void busyThreadShowsUpByGroupAndMethod() throws Exception {
        Path jfr = dir.resolve("busy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(200));
            recording.enable("jdk.GarbageCollection");
            recording.enable("jdk.GCHeapSummary");
            recording.start();
            Thread busy = new Thread(() -> spinFor(Duration.ofMillis(1000)), "busy-spinner-17");
            busy.start();
            busy.join();
            System.gc(); // one collection to count
            recording.stop();
            recording.dump(jfr);
        }

        String md = JfrSummary.markdown(jfr, 10);

        assertThat(md).contains("## Where the CPU time goes")
                .contains("`busy-spinner-#`")
                .contains("JfrSummaryTest.spinFor")
                .contains("`io.orderstream.bench`")
                .contains("### Garbage collection")
                .contains("### CPU load");
        assertThat(md).doesNotContain("No execution samples");
    }

    @Test
    void pausesFromPhaseEventsWhenCollectionsAreNotRecorded() throws Exception {
        Path jfr = dir.resolve("gc.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.GCPhasePause");
            recording.start();
            System.gc();
            recording.stop();
            recording.dump(jfr);
        }

        String md = JfrSummary.markdown(jfr, 5);

        assertThat(md).contains("No execution samples").contains("| (from jdk.GCPhasePause) | ")
                .contains("No `jdk.CPULoad` events.");
    }

    @Test
    void threadGroupsAndPackages() {
        assertThat(JfrSummary.threadGroup("http-nio-8080-exec-12")).isEqualTo("http-nio-#-exec-#");
        assertThat(JfrSummary.threadGroup("kafka-producer-network-thread | producer-3"))
                .isEqualTo("kafka-producer-network-thread | producer-#");
        assertThat(JfrSummary.packageOf("org.apache.kafka.common.record.MemoryRecords")).isEqualTo("org.apache.kafka");
        assertThat(JfrSummary.packageOf("java.util.zip.Inflater")).isEqualTo("java.util.zip");
        assertThat(JfrSummary.packageOf("java.lang.String")).isEqualTo("java.lang");
        assertThat(JfrSummary.packageOf("io.orderstream.order.api.OrderController$1")).isEqualTo("io.orderstream.order");
        assertThat(JfrSummary.packageOf("Workload")).isEqualTo("(default package)");
    }

    /** Pure arithmetic, so the sampled top frame is this method and not something it calls. */
    private static void spinFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                x ^= x >>> 29;
            }
        }
        sink = x;
    }
}
