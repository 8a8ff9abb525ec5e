package io.orderstream.events.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml as AsyncAPI's own parser ({@code @asyncapi/parser} from npm, pinned with its
 * lock file in {@code tools/asyncapi-parser}) reads it: parsed, with no error and no warning.
 * The parser is installed with {@code npm ci} into {@code target/asyncapi-parser} (once per lock
 * file); where Node.js is not installed the test is skipped, saying so.
 */
class AsyncApiParserTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TOOL = ROOT.resolve("tools/asyncapi-parser");
    private static final Path WORK = Path.of("target", "asyncapi-parser").toAbsolutePath();
    private static final List<String> TOOL_FILES = List.of("package.json", "package-lock.json", ".npmrc", "check.mjs");

    @BeforeAll
    static void installTheParser() throws Exception {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"), "Node.js (node and npm) is not on the "
                + "PATH: docs/asyncapi.yaml is not checked by AsyncAPI's own parser in this build");
        Files.createDirectories(WORK);
        for (String file : TOOL_FILES) {
            Files.copy(TOOL.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = WORK.resolve("installed-from.lock");
        byte[] lock = Files.readAllBytes(TOOL.resolve("package-lock.json"));
        if (!Files.exists(installed) || !Arrays.equals(Files.readAllBytes(installed), lock)) {
            Run install = run(WORK, 10, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
            assertThat(install.exit()).as("npm ci in %s:%n%s", WORK, install.output()).isZero();
            Files.write(installed, lock);
        }
    }

    @Test
    void asyncApiDocument_parsesWithAsyncApisOwnParser_withoutAnErrorOrAWarning() throws Exception {
        Run check = run(WORK, 2, "node", "check.mjs", ROOT.resolve("docs/asyncapi.yaml").toString());
        List<String> lines = check.output().lines().toList();

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(lines).as(check.output()).contains("document\tparsed");
        assertThat(lines).as("diagnostics of AsyncAPI's parser")
                .noneMatch(line -> line.startsWith("error\t") || line.startsWith("warning\t"));
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path directory, int timeoutMinutes, String... command) throws IOException,
            InterruptedException {
        Path output = Files.createTempFile(WORK, "run-", ".txt");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutMinutes + " min");
        }
        String text = Files.readString(output);
        Files.delete(output);
        return new Run(process.exitValue(), text);
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(1, TimeUnit.MINUTES) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
