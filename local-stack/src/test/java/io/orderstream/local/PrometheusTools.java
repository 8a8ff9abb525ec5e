package io.orderstream.local;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Debian's Prometheus tools for the tests that use them. CI ({@code CI=true}) installs them
 * ({@code .ci/install-tools.sh}), so there a missing tool fails the test; elsewhere the test is
 * skipped, saying how to install it.
 */
public final class PrometheusTools {

    public static final Path RULES = Path.of("..", "deploy", "prometheus", "alerts.yml");

    private PrometheusTools() {
    }

    public static Path require(String tool) {
        return LocalPrometheus.onPath(tool).orElseGet(() -> {
            String message = tool + " is not installed: " + LocalPrometheus.INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return fail(message + ". CI installs it; without it the alert rules are untested.");
            }
            assumeTrue(false, message);
            return null;
        });
    }

    /** The rules of alerts.yml, group by group, as Prometheus reads them. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rules() throws IOException {
        try (InputStream in = Files.newInputStream(RULES)) {
            Map<String, Object> file = new Yaml().load(in);
            return ((List<Map<String, Object>>) file.get("groups")).stream()
                    .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        }
    }
}
