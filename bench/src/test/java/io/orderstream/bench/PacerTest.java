package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void theIthRequestIsDueAtStartPlusIOverRate_whateverBecameOfTheOthers() throws Exception {
        Pacer pacer = new Pacer(4_000, Duration.ofSeconds(3));

        assertThat(pacer.total()).isEqualTo(12_000);
        assertThat(pacer.due(0)).isEqualTo(pacer.start());
        assertThat(pacer.due(4_000) - pacer.start()).isEqualTo(1_000_000_000L);
        assertThat(pacer.due(7) - pacer.due(6)).isEqualTo(250_000L);
        // late (the thread was busy): every overdue request comes back at once, each with its own due time
        Thread.sleep(5);
        assertThat(pacer.awaitDue(3)).isEqualTo(pacer.due(3));
        assertThat(pacer.awaitDue(4)).isEqualTo(pacer.due(4));
        long due = pacer.due(40);
        assertThat(pacer.awaitDue(40)).isEqualTo(due);
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(due); // never before its time
        assertThatThrownBy(() -> new Pacer(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
