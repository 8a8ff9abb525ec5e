package io.orderstream.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class WriteErrorsTest {

    @Test
    void dataAndIntegrityErrors_belongToTheEvent_andSetItAside() {
        // 22P05 a NUL or lone surrogate in jsonb/text, 22021 bad UTF-8, 22001 value too long, 22003 numeric
        // overflow, 22P02 invalid text for a type, 23505 unique, 23502 not null, 23514 check
        for (String state : new String[] {"22P05", "22021", "22001", "22003", "22P02", "23505", "23502", "23514"}) {
            assertThat(WriteErrors.isEventError(wrapped(state))).as(state).isTrue();
            assertThat(WriteErrors.sqlState(wrapped(state))).isEqualTo(state);
        }
        assertThat(WriteErrors.isEventError(new WriteErrors.EventNotWritable("eventId is not a UUID", null))).isTrue();
    }

    @Test
    void databaseErrors_areRetried_neverSetAside() {
        // 08006 connection lost, 08001 cannot connect, 57P01 admin shutdown, 53300 too many connections,
        // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 42P01 a table missing
        for (String state : new String[] {"08006", "08001", "57P01", "53300", "40001", "40P01", "55P03", "42P01"}) {
            assertThat(WriteErrors.isEventError(wrapped(state))).as(state).isFalse();
        }
        assertThat(WriteErrors.isEventError(new IllegalStateException("pool exhausted", new java.sql.SQLTransientConnectionException("timeout")))).isFalse();
        assertThat(WriteErrors.isEventError(new IllegalStateException("no SQLState"))).isFalse();
    }

    @Test
    void describe_neverQuotesWhatADataErrorSays_butKeepsAConnectionErrorsMessage() {
        SQLException quoting = new SQLException("unsupported Unicode escape sequence; JSON data: {\"reason\":\"secret",
                "22P05");
        String described = WriteErrors.describe(new RuntimeException("INSERT failed: secret", quoting));
        assertThat(described).isEqualTo("SQLState 22P05 (SQLException)").doesNotContain("secret");
        assertThat(WriteErrors.describe(wrapping(
                new SQLException("value too long for type character(3): secret", "22001")))).doesNotContain("secret");

        String down = WriteErrors.describe(wrapping(
                new SQLException("Connection to localhost:5432 refused", "08001")));
        assertThat(down).contains("Connection to localhost:5432 refused");
    }

    /** A driver's exception as a caller's wraps it (the writer's callers wrap what it throws). */
    private static RuntimeException wrapping(SQLException cause) {
        return new IllegalStateException("projecting", cause);
    }

    private static RuntimeException wrapped(String sqlState) {
        return wrapping(new SQLException("refused", sqlState));
    }
}
