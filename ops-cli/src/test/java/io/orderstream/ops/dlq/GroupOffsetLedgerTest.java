package io.orderstream.ops.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The ledger earlier versions kept in group offsets, as it is still read (and carried over). */
class GroupOffsetLedgerTest {

    @Test
    void everyRecordBelowTheWatermark_andTheRangesAboveIt_wereRedriven() {
        GroupOffsetLedger.Entry entry = GroupOffsetLedger.Entry.parse(4, "redriven:10-12,15,20-21");

        assertThat(entry).isEqualTo(new GroupOffsetLedger.Entry(4, new TreeSet<>(List.of(10L, 11L, 12L, 15L, 20L,
                21L))));
        assertThat(entry.redriven(3)).isTrue();
        assertThat(entry.redriven(4)).isFalse();
        assertThat(entry.redriven(11)).isTrue();
        assertThat(entry.redriven(13)).isFalse();
        assertThat(entry.redriven(21)).isTrue();
    }

    @Test
    void anEntryWithoutMetadata_isItsWatermarkAlone() {
        assertThat(GroupOffsetLedger.Entry.parse(4, null)).isEqualTo(new GroupOffsetLedger.Entry(4, new TreeSet<>()));
        assertThat(GroupOffsetLedger.Entry.parse(4, "something else")).isEqualTo(new GroupOffsetLedger.Entry(4,
                new TreeSet<>()));
    }
}
