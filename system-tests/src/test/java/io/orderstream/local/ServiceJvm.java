package io.orderstream.local;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A service as its own JVM, from the exec jar the build made, as a deployment runs it. */
final class ServiceJvm {

    private ServiceJvm() {
    }

    /**
     * Starts {@code module}'s exec jar with {@code env}, its output in {@code log}, and waits until
     * its {@code /actuator/health} on {@code managementPort} (where each service serves its health)
     * answers 200.
     */
    static Process start(String module, Map<String, String> env, Path log, int managementPort) throws IOException {
        Path jar;
        try (var jars = Files.list(Path.of("..", module, "target"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(module + "'s exec jar is not built"));
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                        + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return process;
    }
}
