package io.orderstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A service (the processor or the API) as its own JVM, from the exec jar the build made, as a
 * deployment runs it: configured by environment variables only, killed with SIGKILL when a test
 * wants a crash, started again with the same settings (ports, state directory).
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String module;
    private final Map<String, String> env;
    private final Path logDir;
    private final int managementPort;
    private volatile Process process;
    private int starts;

    /**
     * @param module         {@code order-processor} or {@code order-api}: its {@code target/*-exec.jar}
     * @param managementPort where it serves {@code /actuator/health}
     */
    public ServiceProcess(String name, String module, Map<String, String> env, Path logDir, int managementPort) {
        this.name = name;
        this.module = module;
        this.env = new LinkedHashMap<>(env);
        this.logDir = logDir;
        this.managementPort = managementPort;
    }

    public String name() {
        return name;
    }

    /** Starts the JVM and returns at once (see {@link #awaitHealthy}). */
    public synchronized void launch() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        Path jar = execJar(module);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + "-" + (++starts) + ".log").toFile());
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not start: " + e.getMessage(), e);
        }
    }

    /** Starts it and waits (bounded) until its health answers 200. */
    public void start() {
        launch();
        awaitHealthy(Duration.ofSeconds(300));
    }

    public void awaitHealthy(Duration bound) {
        Awaitility.await(name + " healthy").atMost(bound).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see its log in "
                                + logDir);
                    }
                    return healthResponse().map(response -> response.statusCode() == 200).orElse(false);
                });
    }

    /** Its {@code /actuator/health} body, when it answers. */
    public Optional<String> health() {
        return healthResponse().map(HttpResponse::body);
    }

    private Optional<HttpResponse<String>> healthResponse() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + managementPort + "/actuator/health")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Optional.of(response);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** SIGKILL: no shutdown hook, no leave-group, no commit, no graceful end of requests in flight. */
    public void kill() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
            try {
                running.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: the JVM freezes, as in a long GC pause or a stalled machine; {@link #resume} ends it. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(running.pid())).inheritIO().start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + running.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, and SIGKILL if it has not stopped within the bound. */
    public void stop() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.destroy();
            try {
                if (!running.waitFor(45, TimeUnit.SECONDS)) {
                    running.destroyForcibly();
                    running.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Path execJar(String module) {
        for (Path root : List.of(Path.of(".."), Path.of("."))) {
            Path target = root.resolve(module).resolve("target");
            if (Files.isDirectory(target)) {
                try (var jars = Files.list(target)) {
                    Optional<Path> jar = jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst();
                    if (jar.isPresent()) {
                        return jar.get();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(module + "'s exec jar is not built (mvn -pl " + module + " package)");
    }
}
