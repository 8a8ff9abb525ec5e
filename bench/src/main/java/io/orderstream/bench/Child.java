package io.orderstream.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One component of the run in its own JVM (same class path as this one), its output in a log file,
 * so its CPU and memory can be read from {@code /proc} apart from the others'.
 */
public final class Child implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final Duration graceAfterInput;

    private Child(String name, Process process, Path log, Duration graceAfterInput) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.graceAfterInput = graceAfterInput;
    }

    /**
     * @param jvmOptions options for the JVM, e.g. {@code -Xmx512m}
     * @param classPath  the class path, or an executable jar when {@code mainClass} is null
     * @param args       the main class's arguments
     */
    public static Child start(String name, Path jdk, Path logDir, List<String> jvmOptions, String classPath,
            String mainClass, List<String> args) {
        return start(name, jdk, logDir, jvmOptions, classPath, mainClass, args, Duration.ZERO);
    }

    /**
     * A process that stops by itself when its standard input closes ({@link BenchInfra}, the
     * pass-through stage): {@link #close()} gives it {@code grace} to do so before SIGTERM.
     */
    public static Child startUntilInputEnds(String name, Path jdk, Path logDir, List<String> jvmOptions,
            String mainClass, List<String> args, Duration grace) {
        return start(name, jdk, logDir, jvmOptions, classPath(), mainClass, args, grace);
    }

    /** @param jdk the JDK to run it on ({@code --service-jdk}), or {@code null} for this JVM's */
    private static Child start(String name, Path jdk, Path logDir, List<String> jvmOptions, String classPath,
            String mainClass, List<String> args, Duration graceAfterInput) {
        List<String> command = new ArrayList<>();
        command.add(tool(jdk, "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=bench-logback.xml");
        if (mainClass == null) { // an executable jar
            command.add("-jar");
            command.add(classPath);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
        }
        command.addAll(args);
        Path log = logDir.resolve(name.replaceAll("[^A-Za-z0-9.-]+", "-") + ".log");
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new Child(name, process, log, graceAfterInput);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** A JDK's tool ({@code java}, {@code jcmd}, {@code jfr}); this JVM's when {@code jdk} is null. */
    public static Path tool(Path jdk, String name) {
        return (jdk != null ? jdk : Path.of(System.getProperty("java.home"))).resolve("bin").resolve(name);
    }

    static String classPath() {
        return System.getProperty("java.class.path");
    }

    public long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits for a line of its output starting with {@code prefix}; returns the rest of the line. */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = lines().stream().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get().substring(prefix.length()).trim();
            }
            checkAlive();
            pause();
        }
        throw failure("printed no '" + prefix + "' within " + timeout.toSeconds() + " s");
    }

    /** Waits until {@code GET url} answers 200. */
    public void awaitHttp(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            checkAlive();
            pause();
        }
        throw failure("did not answer 200 on " + url + " within " + timeout.toSeconds() + " s");
    }

    private void checkAlive() {
        if (!process.isAlive()) {
            throw failure("exited with " + process.exitValue());
        }
    }

    private IllegalStateException failure(String what) {
        List<String> lines = lines();
        return new IllegalStateException(name + " " + what + "; the end of " + log + ":\n  "
                + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(200); // polling another process: nothing to wait on instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for it to end by itself; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw failure("did not finish within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    String output() {
        return String.join("\n", lines());
    }

    /** Closes its standard input, waits the grace given at start, then SIGTERM, then SIGKILL. */
    @Override
    public void close() {
        try (OutputStream in = process.getOutputStream()) {
            in.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(graceAfterInput.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
