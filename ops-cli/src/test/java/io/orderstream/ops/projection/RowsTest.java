package io.orderstream.ops.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowsTest {

    @Test
    void copyText_escapesWhatCopyWouldMisread_andWritesNullAsBackslashN() {
        StringBuilder row = new StringBuilder();
        UUID id = UUID.fromString("6c1f0000-0000-0000-0000-000000000001");

        Rows.appendCopy(row, new Object[] {"acme", 42L, id, null, Instant.parse("2026-11-26T12:02:13.669Z"),
                "{\"reason\":\"said \\\"no\\\"\",\"tab\":\"a\tb\"}\nnext\r"});

        assertThat(row.toString()).isEqualTo("acme\t42\t" + id + "\t\\N\t2026-11-26T12:02:13.669Z\t"
                + "{\"reason\":\"said \\\\\"no\\\\\"\",\"tab\":\"a\\tb\"}\\nnext\\r\n");
    }

    @Test
    void placeholders_castTheJsonColumn() {
        assertThat(Rows.placeholders(3, 1)).isEqualTo("?, ?::jsonb, ?");
    }
}
