package io.orderstream.ops.verify;

import io.orderstream.events.Json;
import io.orderstream.ops.support.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * The production checks of a deployed Order Stream, over HTTP only, as a storefront sees it: a
 * duplicate is answered from the store, different keys are independent, a missing key is refused,
 * a reused key with another body is refused, and another tenant cannot see the order.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks a deployed API as a storefront would: duplicate answered from the store (same status "
                + "and body, Idempotent-Replayed: true), different keys processed independently, missing "
                + "Idempotency-Key refused (400 problem), key reused with another body refused (422), another "
                + "tenant's order answered 404. Places a few orders. Exit 0 only if every check passes.")
public final class DeploymentVerifyCommand implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:ORDERS_VERIFY_URL:-http://localhost:8080}",
            description = "The API's base URL (env ORDERS_VERIFY_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:ORDERS_VERIFY_TOKEN}",
            description = "A bearer token of one tenant (env ORDERS_VERIFY_TOKEN; default: ACME_TOKEN from "
                    + ".local/tokens.env, written by ./run-local.sh).")
    String token;

    @Option(names = "--other-token", paramLabel = "JWT", defaultValue = "${env:ORDERS_VERIFY_OTHER_TOKEN}",
            description = "A bearer token of another tenant, for the cross-tenant check (env ORDERS_VERIFY_OTHER_TOKEN;"
                    + " default: GLOBEX_TOKEN from .local/tokens.env).")
    String otherToken;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long one request may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private int passed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        token = token != null ? token : localToken("ACME_TOKEN");
        otherToken = otherToken != null ? otherToken : localToken("GLOBEX_TOKEN");
        if (token == null || otherToken == null) {
            spec.commandLine().getErr().println("orders-ops verify: give --token and --other-token (two tenants), or "
                    + "run ./run-local.sh, which writes them to .local/tokens.env");
            return ExitCodes.USAGE;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"customerId\":\"verify-" + run + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"VERIFY\","
                + "\"quantity\":1,\"unitPriceMinor\":100}]}";
        try {
            // 1. the original check: a duplicate is answered from the store
            HttpResponse<String> first = post(token, "verify-" + run + "-a", body);
            HttpResponse<String> again = post(token, "verify-" + run + "-a", body);
            check(out, "duplicate request answered from the store", first.statusCode() == 201
                    && again.statusCode() == 201 && again.body().equals(first.body())
                    && "true".equals(again.headers().firstValue("Idempotent-Replayed").orElse(null)),
                    describe(first) + " then " + describe(again));

            // 2. different keys are processed independently
            HttpResponse<String> other = post(token, "verify-" + run + "-b", body);
            check(out, "different keys processed independently", other.statusCode() == 201
                    && other.headers().firstValue("Idempotent-Replayed").isEmpty()
                    && !orderId(other).equals(orderId(first)), describe(other));

            // 3. a missing key is refused
            HttpResponse<String> missing = post(token, null, body);
            check(out, "missing Idempotency-Key refused", missing.statusCode() == 400 && isProblem(missing),
                    describe(missing));

            // 4. the same key with another request is refused
            HttpResponse<String> reused = post(token, "verify-" + run + "-a", body.replace("VERIFY", "OTHER"));
            check(out, "key reused with another body refused", reused.statusCode() == 422 && isProblem(reused),
                    describe(reused));

            // 5. another tenant cannot see the order
            String orderId = first.statusCode() == 201 ? orderId(first) : "none";
            HttpResponse<String> foreign = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/orders/" + orderId))
                    .header("Authorization", "Bearer " + otherToken).GET());
            check(out, "another tenant's order answered 404", foreign.statusCode() == 404 && isProblem(foreign),
                    describe(foreign));
        } catch (ConnectException unreachable) {
            failures.add("unreachable");
            out.printf("FAIL  the API at %s does not answer: %s%n", url, unreachable);
            out.printf("%d of 5 checks passed%n", passed);
            return ExitCodes.ERROR;
        }
        out.printf("%d of 5 checks passed against %s%n", passed, url);
        return failures.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED_CHECK;
    }

    private void check(PrintWriter out, String name, boolean ok, String observed) {
        if (ok) {
            passed++;
            out.printf("PASS  %s%n", name);
        } else {
            failures.add(name);
            out.printf("FAIL  %s: got %s%n", name, observed);
        }
    }

    private HttpResponse<String> post(String bearer, String key, String body) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/api/v1/orders"))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(timeoutSeconds)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean isProblem(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }

    private static String orderId(HttpResponse<String> response) {
        try {
            JsonNode id = Json.MAPPER.readTree(response.body()).get("orderId");
            return id == null ? "" : id.asString();
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    private static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        return response.statusCode() + " " + (body.length() > 120 ? body.substring(0, 120) + "…" : body);
    }

    private static String localToken(String name) throws IOException {
        Path tokens = Path.of(".local", "tokens.env");
        if (!Files.exists(tokens)) {
            return null;
        }
        Matcher matcher = Pattern.compile("(?m)^" + name + "=(\\S+)").matcher(Files.readString(tokens));
        return matcher.find() ? matcher.group(1) : null;
    }
}
