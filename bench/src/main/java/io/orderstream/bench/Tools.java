package io.orderstream.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Finds and runs the command-line tools of the run (pgbench, redis-server, redis-benchmark, wrk). */
public final class Tools {

    /** What a finished command left: its exit code and everything it printed (stdout and stderr). */
    public record Run(int exitCode, String output) {
    }

    private Tools() {
    }

    /**
     * @return the tool's path on {@code PATH}
     * @throws IllegalStateException naming bench/install-peers.sh when it is not installed
     */
    public static Path require(String tool) {
        return find(tool).orElseThrow(() -> new IllegalStateException(tool
                + " is not installed (not on PATH): run bench/install-peers.sh"));
    }

    /** The tool's path on {@code PATH}, if it is there. */
    public static java.util.Optional<Path> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Runs a command to its end, its output going to {@code outputFile} (so no pipe can fill up).
     *
     * @throws IllegalStateException when it does not end within {@code timeout} (it is then killed)
     */
    public static Run run(List<String> command, Map<String, String> environment, Path outputFile, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command.get(0) + " did not end within " + timeout + "; output in "
                        + outputFile);
            }
            return new Run(process.exitValue(), Files.readString(outputFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** The last {@code lines} lines of a tool's output, for an error message. */
    public static String tail(String output, int lines) {
        List<String> all = output.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public static void progress(String peer, String line) {
        System.out.println("bench:   " + peer + ": " + line);
    }
}
