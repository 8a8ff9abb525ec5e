package io.orderstream.processor.projection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProjectionLagTest {

    @Test
    void caughtUp_isZero_thoughTheCommitMarkerFollowsTheLastEvent() {
        // events at 0..9, the transaction's marker at 10, last stable offset 11; projector stored 10
        assertThat(ProjectionLag.behind(11, 10)).isZero();
        assertThat(ProjectionLag.behind(0, 0)).isZero();
    }

    @Test
    void behind_countsWhatIsLeft_markersIncluded() {
        // stored 10; a further transaction of 5 events at 11..15, marker 16, last stable offset 17
        assertThat(ProjectionLag.behind(17, 10)).isEqualTo(6);
        assertThat(ProjectionLag.behind(17, 0)).isEqualTo(16);
    }
}
