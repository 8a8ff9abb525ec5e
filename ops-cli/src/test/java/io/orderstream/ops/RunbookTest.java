package io.orderstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/operations.md against the real command line: every command and every option is in the runbook. */
class RunbookTest {

    private static final Path RUNBOOK = Path.of("..", "docs", "operations.md");

    @Test
    void everyCommandsHelpRuns_andTheRunbookNamesTheCommandAndEachOfItsOptions() throws IOException {
        String runbook = Files.readString(RUNBOOK);
        List<CommandLine> commands = leaves(OrdersOps.commandLine());
        assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName(" ")).containsExactlyInAnyOrder(
                "orders-ops projection rebuild", "orders-ops projection verify", "orders-ops projection retry",
                "orders-ops commands replay",
                "orders-ops dlq list", "orders-ops dlq redrive", "orders-ops streams reset", "orders-ops verify");

        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName(" ");
            String[] path = name.substring("orders-ops ".length()).split(" ");
            String[] help = Arrays.copyOf(path, path.length + 1);
            help[path.length] = "--help";
            OpsRun.Result shown = OpsRun.run(help);
            assertThat(shown.exitCode()).as(name + " --help").isZero();
            assertThat(shown.out()).startsWith("Usage: " + name);

            assertThat(runbook).as("the runbook shows " + name).contains("./orders-ops " + String.join(" ", path));
            for (OptionSpec option : command.getCommandSpec().options()) {
                assertThat(runbook).as("the runbook mentions " + option.longestName() + " of " + name)
                        .contains("`" + option.longestName());
            }
        }
    }

    @Test
    void noCommand_isAUsageError() {
        OpsRun.Result none = OpsRun.run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing command: choose one of projection, commands, dlq, streams");
    }

    private static List<CommandLine> leaves(CommandLine command) {
        List<CommandLine> leaves = new ArrayList<>();
        command.getSubcommands().values().stream().filter(sub -> !sub.getCommandName().equals("help"))
                .forEach(sub -> {
                    if (sub.getSubcommands().isEmpty()) {
                        leaves.add(sub);
                    } else {
                        leaves.addAll(leaves(sub));
                    }
                });
        return leaves;
    }
}
