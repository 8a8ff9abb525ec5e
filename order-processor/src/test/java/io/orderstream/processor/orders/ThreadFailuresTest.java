package io.orderstream.processor.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void occasionalFailures_areTolerated_aBurstIsNot() {
        StreamsConfiguration.ThreadFailures failures = new StreamsConfiguration.ThreadFailures(3, Duration.ofMinutes(5));
        long minute = 60_000;

        assertThat(failures.tooMany(0)).isFalse();
        assertThat(failures.tooMany(minute)).isFalse();
        assertThat(failures.tooMany(2 * minute)).isFalse();
        assertThat(failures.tooMany(3 * minute)).as("a fourth within five minutes").isTrue();
        assertThat(failures.tooMany(20 * minute)).as("the window has passed").isFalse();
    }
}
