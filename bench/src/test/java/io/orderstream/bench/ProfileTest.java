package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

    @TempDir
    Path dir;

    @Test
    void aRecording_isSummarisedByTheJdksOwnJfrTool() throws Exception {
        Path jfr = dir.resolve("test.jfr");
        try (Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            recording.start();
            long sum = 0;
            for (int i = 0; i < 5_000_000; i++) { // something for the execution sampler to see
                sum += Integer.toString(i).hashCode();
            }
            assertThat(sum).isNotZero();
            recording.dump(jfr);
        }

        String summary = Profile.summary(jfr, null);

        assertThat(summary).startsWith("CPU samples by library");
        if (summary.contains(" view`:")) { // a JDK 21+ jfr was found: its views
            assertThat(summary).contains(" view`:", "```");
            assertThat(summary).containsIgnoringCase("Java Methods"); // hot-methods' heading
            assertThat(summary).containsIgnoringCase("GC Pauses");
        } else { // JDK 17's jfr only: its summary, events by type
            assertThat(summary).contains("summary`:", "jdk.ExecutionSample");
        }
    }
}
