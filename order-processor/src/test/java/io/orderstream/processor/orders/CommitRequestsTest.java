package io.orderstream.processor.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitRequestsTest {

    private static final long MS = 1_000_000L;

    @Test
    void aLoneCommand_asksAtOnce_andUnderLoad_atMostOncePerSpacing() {
        CommitRequests requests = new CommitRequests(Duration.ofMillis(5));
        long t0 = 1_000_000 * MS;

        assertThat(requests.due(t0)).as("the first command after a quiet spell").isTrue();
        // a command every 0.5 ms for 20 ms: one request per 5 ms
        int asked = 0;
        for (long t = t0 + MS / 2; t < t0 + 20 * MS; t += MS / 2) {
            asked += requests.due(t) ? 1 : 0;
        }
        assertThat(asked).isEqualTo(3);
        assertThat(requests.due(t0 + 100 * MS)).as("alone again").isTrue();
    }

    @Test
    void zeroSpacing_neverAsks_andANegativeOneIsRefused() {
        assertThat(CommitRequests.NEVER.due(System.nanoTime())).isFalse();
        assertThat(new CommitRequests(Duration.ZERO).enabled()).isFalse();
        assertThatThrownBy(() -> new CommitRequests(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
