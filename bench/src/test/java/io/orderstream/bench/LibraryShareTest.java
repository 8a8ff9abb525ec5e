package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryShareTest {

    @Test
    void aSampleCountsForTheLeafMostFrameOutsideTheJdk() {
        assertThat(LibraryShare.of(List.of("java.util.HashMap", "io.opentelemetry.context.ArrayBasedContext",
                "io.orderstream.processor.Foo"))).isEqualTo(LibraryShare.TRACING);
        assertThat(LibraryShare.of(List.of("sun.nio.ch.SocketChannelImpl", "org.apache.kafka.clients.NetworkClient",
                "org.apache.kafka.streams.processor.internals.StreamThread"))).isEqualTo("Kafka clients");
        assertThat(LibraryShare.of(List.of("org.springframework.boot.micrometer.tracing.opentelemetry.X")))
                .as("Boot's tracing glue is tracing, not Spring").isEqualTo(LibraryShare.TRACING);
        assertThat(LibraryShare.of(List.of("io.micrometer.core.instrument.Timer"))).isEqualTo("metrics (Micrometer)");
        assertThat(LibraryShare.of(List.of("io.orderstream.api.tracing.TraceSampling")))
                .as("the project's own tracing code is tracing").isEqualTo(LibraryShare.TRACING);
        assertThat(LibraryShare.of(List.of("io.micrometer.observation.SimpleObservation")))
                .as("observation runs for the metrics with tracing off too").isEqualTo(LibraryShare.OBSERVATION);
        assertThat(LibraryShare.of(List.of("org.example.Unknown"))).isEqualTo("other libraries");
        assertThat(LibraryShare.of(List.of("java.lang.Thread"))).startsWith("the JDK alone");
    }

    @Test
    void aRealRecording_isCountedBySample(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            long sum = 0;
            while (System.nanoTime() < until) {
                sum += busy(sum);
            }
            assertThat(sum).isNotZero();
            recording.stop();
            recording.dump(file);
        }

        Map<String, Long> counts = LibraryShare.read(file);
        String table = LibraryShare.table(file);

        assertThat(counts.get("")).as("samples in all").isPositive();
        assertThat(counts.get("Order Stream")).as("this test's own loop is io.orderstream code").isPositive();
        assertThat(table).contains("| Order Stream | " + counts.get("Order Stream") + " |");
        assertThat(Files.size(file)).isPositive();
    }

    private static long busy(long seed) {
        long x = seed | 1;
        for (int i = 0; i < 10_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x & 0xff | 1;
    }
}
