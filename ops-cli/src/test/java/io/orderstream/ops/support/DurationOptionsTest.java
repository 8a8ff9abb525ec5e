package io.orderstream.ops.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.ops.OrdersOps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every duration orders-ops takes, on the command line as in the environment, is written as the
 * services take theirs ({@code 10s}, {@code 24h}) or in ISO-8601 ({@code PT10S}): one parser.
 */
class DurationOptionsTest {

    static Stream<Arguments> durationOptions() {
        List<Arguments> options = new ArrayList<>();
        for (String value : List.of("90s", "PT90S", "90000ms", "90000")) {
            options.add(Arguments.of(List.of("projection", "retry"), "--lock-timeout", value));
            options.add(Arguments.of(List.of("projection", "rebuild"), "--lock-timeout", value));
            options.add(Arguments.of(List.of("commands", "replay", "--from", "2026-11-26T10:00:00Z", "--to",
                    "2026-11-26T11:00:00Z"), "--wait", value));
            options.add(Arguments.of(List.of("dlq", "redrive", "--tenant", "acme"), "--wait", value));
            options.add(Arguments.of(List.of("commands", "replay", "--from", "2026-11-26T10:00:00Z", "--to",
                    "2026-11-26T11:00:00Z"), "--idempotency-ttl", value));
        }
        return options.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("durationOptions")
    void aDurationOption_takesTheServicesSyntax_andIso(List<String> command, String option, String value) {
        List<String> args = new ArrayList<>(command);
        args.add(option);
        args.add(value);

        ParseResult parsed = OrdersOps.commandLine().parseArgs(args.toArray(String[]::new));

        assertThat(leaf(parsed).<Duration>matchedOptionValue(option, null)).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("durationOptions")
    void aDurationOption_refusesWhatIsNoDuration_namingTheValue(List<String> command, String option, String ignored) {
        List<String> args = new ArrayList<>(command);
        args.add(option);
        args.add("a minute");

        assertThatThrownBy(() -> OrdersOps.commandLine().parseArgs(args.toArray(String[]::new)))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("'a minute'");
    }

    private static ParseResult leaf(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }
}
