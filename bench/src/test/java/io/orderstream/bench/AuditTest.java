package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditTest {

    @Test
    void sequencesMustBeExactlyOneToN_inAnyOrder() {
        assertThat(Audit.hasGap(List.of(1L, 2L, 3L))).isFalse();
        assertThat(Audit.hasGap(List.of(2L, 1L))).isFalse();
        assertThat(Audit.hasGap(List.of(1L, 3L))).isTrue();
        assertThat(Audit.hasGap(List.of(1L, 1L, 2L))).isTrue();
        assertThat(Audit.hasGap(List.of(2L))).isTrue();
    }
}
