package io.orderstream.ops.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RedriveLedgerTest {

    /** Records at these offsets; the gaps are transaction markers. */
    private static final List<Long> RECORDS = List.of(3L, 5L, 7L);
    private static final long END = 9;

    @Test
    void aRecordRedrivenPastAPendingOne_isListedAboveTheWatermark() {
        RedriveLedger.Entry entry = RedriveLedger.Entry.EMPTY.with(Set.of(5L), RECORDS, END);

        assertThat(entry.watermark()).isEqualTo(3);
        assertThat(entry.metadata()).isEqualTo("redriven:5");
        assertThat(entry.redriven(5)).isTrue();
        assertThat(entry.redriven(3)).isFalse();
        assertThat(entry.redriven(7)).isFalse();
    }

    @Test
    void theWatermarkMovesFromRecordToRecord_overTransactionMarkers_upToTheEnd() {
        RedriveLedger.Entry first = RedriveLedger.Entry.EMPTY.with(Set.of(5L), RECORDS, END);
        RedriveLedger.Entry second = first.with(Set.of(3L), RECORDS, END);

        assertThat(second.watermark()).isEqualTo(7);
        assertThat(second.above()).isEmpty();
        assertThat(second.redriven(3)).isTrue();
        assertThat(second.redriven(5)).isTrue();
        assertThat(second.redriven(7)).isFalse();

        RedriveLedger.Entry all = second.with(Set.of(7L), RECORDS, END);
        assertThat(all.watermark()).isEqualTo(END);
        assertThat(all.toCommit().offset()).isEqualTo(END);
    }

    @Test
    void metadata_keepsRunsAsRanges_andReadsBackTheSame() {
        RedriveLedger.Entry entry = new RedriveLedger.Entry(4, new TreeSet<>(List.of(10L, 11L, 12L, 15L, 20L, 21L)));

        assertThat(entry.metadata()).isEqualTo("redriven:10-12,15,20-21");
        assertThat(RedriveLedger.Entry.parse(4, entry.metadata())).isEqualTo(entry);
        assertThat(RedriveLedger.Entry.parse(4, null)).isEqualTo(new RedriveLedger.Entry(4, new TreeSet<>()));
    }
}
