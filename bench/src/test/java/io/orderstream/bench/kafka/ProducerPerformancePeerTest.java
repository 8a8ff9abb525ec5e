package io.orderstream.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.bench.Measurement;
import org.junit.jupiter.api.Test;

class ProducerPerformancePeerTest {

    @Test
    void readsTheFinalSummary_notTheProgressLines() {
        String output = """
                24983 records sent, 4996.6 records/sec (1.43 MB/sec), 3.1 ms avg latency, 61.0 ms max latency.
                25011 records sent, 5002.2 records/sec (1.43 MB/sec), 2.9 ms avg latency, 40.0 ms max latency.
                50000 records sent, 4999.500050 records/sec (1.43 MB/sec), 3.02 ms avg latency, 61.00 ms max latency, \
                2 ms 50th, 6 ms 95th, 12 ms 99th, 48 ms 99.9th.
                """;

        Measurement m = ProducerPerformancePeer.parse(output, 5000, 11.0).orElseThrow();

        assertThat(m.system()).isEqualTo(ProducerPerformancePeer.SYSTEM);
        assertThat(m.offeredRate()).isEqualTo(5000);
        assertThat(m.completed()).isEqualTo(50_000);
        assertThat(m.throughput()).isCloseTo(4999.5, org.assertj.core.data.Offset.offset(0.1));
        assertThat(m.p50Ms()).isEqualTo(2.0);
        assertThat(m.p99Ms()).isEqualTo(12.0);
        assertThat(m.p999Ms()).isEqualTo(48.0);
    }

    @Test
    void noSummary_isNoMeasurement() {
        assertThat(ProducerPerformancePeer.parse("Exception in thread \"main\" TimeoutException", 500, 3.0))
                .isEmpty();
    }
}
