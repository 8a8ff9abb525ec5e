package io.orderstream.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProjectionRowsMicrosTest {

    @Test
    void timesAreComparedAsPostgresqlStoresThem_roundedToTheMicrosecond() {
        assertThat(ProjectionRows.micros(Instant.parse("2026-11-26T12:50:24.035223567Z")))
                .isEqualTo(Instant.parse("2026-11-26T12:50:24.035224Z"));
        assertThat(ProjectionRows.micros(Instant.parse("2026-11-26T12:50:24.035223499Z")))
                .isEqualTo(Instant.parse("2026-11-26T12:50:24.035223Z"));
        assertThat(ProjectionRows.micros(Instant.parse("2026-11-26T12:50:24.999999900Z")))
                .isEqualTo(Instant.parse("2026-11-26T12:50:25Z"));
        assertThat(ProjectionRows.micros(Instant.parse("2026-11-26T12:50:24.669Z")))
                .isEqualTo(Instant.parse("2026-11-26T12:50:24.669Z"));
    }
}
