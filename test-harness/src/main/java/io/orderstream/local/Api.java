package io.orderstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A storefront's view of the API: plain HTTP with a bearer token. */
public final class Api {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String secret;

    public Api(String base, String secret) {
        this.base = base;
        this.secret = secret;
    }

    public String token(String tenant) {
        return DevTokens.mint(secret, tenant, Duration.ofHours(1));
    }

    public HttpResponse<String> placeOrder(String tenant, String key, String body) {
        return send(command("POST", "/api/v1/orders", tenant, key, body));
    }

    public HttpResponse<String> changeStatus(String tenant, String orderId, String key, String body) {
        return send(command("PUT", "/api/v1/orders/" + orderId + "/status", tenant, key, body));
    }

    public HttpResponse<String> getOrder(String tenant, String orderId) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders/" + orderId))
                .header("Authorization", "Bearer " + token(tenant)).GET().build());
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    public HttpRequest command(String method, String path, String tenant, String key, String body) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token(tenant))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.build();
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String placeBody(String customer) {
        return "{\"customerId\":\"" + customer + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPriceMinor\":1250}]}";
    }

    public static String statusBody(String status) {
        return "{\"status\":\"" + status + "\"}";
    }
}
