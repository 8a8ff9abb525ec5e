package io.orderstream.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Writes the OpenAPI document the API serves ({@code GET /v3/api-docs}) to a file, for builds that
 * generate a client from it: the API is started for real (against a KRaft broker of its own; it
 * reads no database to describe itself), asked for its document over HTTP, and stopped.
 *
 * <pre>java -cp … io.orderstream.local.ServedApiDocument target/openapi/order-stream-api.json</pre>
 */
public final class ServedApiDocument {

    private ServedApiDocument() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ServedApiDocument <output file>");
            System.exit(2);
        }
        Path output = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createTempDirectory("order-stream-api-docs-");
        try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"))) {
            Services.Settings settings = new Services.Settings(kafka.bootstrapServers(),
                    "jdbc:postgresql://127.0.0.1:1/not-used", "none", "none",
                    "api-docs-" + UUID.randomUUID() + UUID.randomUUID(), 0, 0, work.resolve("streams"),
                    Map.of("orders.topics.partitions", "1", "orders.topics.replication-factor", "1"));
            try (ConfigurableApplicationContext api = Services.startApi(settings)) {
                URI uri = URI.create("http://localhost:" + Services.port(api) + "/v3/api-docs");
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + response.statusCode());
                }
                Files.createDirectories(output.getParent());
                Files.writeString(output, response.body());
                System.out.println("order-stream: wrote the served OpenAPI document to " + output);
            }
        }
        System.exit(0);
    }
}
