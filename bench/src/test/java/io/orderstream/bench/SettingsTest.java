package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void quick_takesThreeSecondSteps_andNoProfile() {
        Settings settings = Settings.parse(new String[] {"--quick"});

        assertThat(settings.step()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.rates()).containsExactly(500, 1000);
        assertThat(Settings.parse(new String[0]).rates()).containsExactly(500, 1000, 2000, 5000);
        assertThat(settings.profile()).isFalse();
        assertThat(settings.overload()).isEmpty();
        assertThat(settings.systems()).contains(SideBySide.ORDER_STREAM, "PostgreSQL", "Redis");
        Settings full = Settings.parse(new String[0]);
        assertThat(full.overload()).containsExactly(2.0, 5.0);
        assertThat(full.step()).isEqualTo(Duration.ofSeconds(30));
        assertThat(full.serviceJdk()).isNull();
        assertThat(full.wrk()).isTrue();
    }

    @Test
    void theServicesJdk_mustBeAJdk() {
        String javaHome = System.getProperty("java.home");
        assertThat(Settings.parse(new String[] {"--service-jdk=" + javaHome}).serviceJdk())
                .isEqualTo(java.nio.file.Path.of(javaHome));
        assertThatThrownBy(() -> Settings.parse(new String[] {"--service-jdk=/nowhere"}))
                .hasMessageContaining("--service-jdk: no bin/java in /nowhere");
        assertThat(Settings.parse(new String[] {"--no-wrk", "--no-profile", "--overload=3"}))
                .satisfies(s -> {
                    assertThat(s.wrk()).isFalse();
                    assertThat(s.profile()).isFalse();
                    assertThat(s.overload()).containsExactly(3.0);
                });
        assertThatThrownBy(() -> Settings.parse(new String[] {"--overload=0.5"}))
                .hasMessageContaining("--overload takes multiples of capacity above 1");
        assertThat(Settings.usage()).contains("--service-jdk", "--overload", "--connections", "--rates");
    }

    @Test
    void ratesAreSorted_andSystemsChosenByShortName() {
        Settings settings = Settings.parse(new String[] {"--rates=2000,500", "--systems=orderstream,redis",
                "--seconds=12"});

        assertThat(settings.rates()).isEqualTo(List.of(500, 2000));
        assertThat(settings.systems()).containsExactly(SideBySide.ORDER_STREAM, "Redis");
        assertThat(settings.step()).isEqualTo(Duration.ofSeconds(12));
        assertThat(settings.profile()).isTrue();
    }

    @Test
    void badArguments_sayWhatIsWrong() {
        assertThatThrownBy(() -> Settings.parse(new String[] {"--rates=fast"}))
                .hasMessageContaining("--rates takes a positive whole number, not 'fast'");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--systems=kafka"}))
                .hasMessageContaining("unknown system 'kafka'");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--turbo"}))
                .hasMessageContaining("Unknown option: '--turbo'");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--clients=0"}))
                .hasMessageContaining("--clients takes a positive whole number, not '0'");
    }
}
