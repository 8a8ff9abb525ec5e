package io.orderstream.ops.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void line_showsDoneOfTotal_rate_andTimeLeft() {
        Progress progress = Progress.start(new PrintWriter(new StringWriter()), "rebuild", 1_000_000);
        progress.advance(250_000);

        assertThat(progress.line()).matches("rebuild: 250,000/1,000,000 \\(25%\\), [\\d,]+ records/s, ETA \\S+");
    }

    @Test
    void finish_printsTheTotal_andReturnsTheRate() {
        StringWriter err = new StringWriter();
        Progress progress = Progress.start(new PrintWriter(err), "verify", 0);
        progress.advance(10);

        assertThat(progress.finish()).isPositive();
        assertThat(err.toString()).startsWith("verify: 10 records in ").contains("records/s)");
    }

    @Test
    void timesLeft_areShort() {
        assertThat(Progress.formatSeconds(42)).isEqualTo("42s");
        assertThat(Progress.formatSeconds(125)).isEqualTo("2m05s");
        assertThat(Progress.formatSeconds(7260)).isEqualTo("2h01m");
    }
}
