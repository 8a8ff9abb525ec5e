package io.orderstream.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The response given the first time a key was used, as it is given again to every duplicate:
 * its status, the headers that matter for a replay (for instance {@code Content-Type},
 * {@code Location}) and its body.
 */
public record StoredResponse(int status, Map<String, String> headers, byte[] body) {

    public StoredResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(body, "body");
    }

    /** Status, headers and body in bytes: what counts against the policy's size bound. */
    public int size() {
        int size = 4 + body.length;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            size += header.getKey().getBytes(StandardCharsets.UTF_8).length
                    + header.getValue().getBytes(StandardCharsets.UTF_8).length + 8;
        }
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredResponse that && status == that.status && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "StoredResponse[status=" + status + ", headers=" + new TreeMap<>(headers) + ", body=" + body.length
                + " bytes]";
    }
}
