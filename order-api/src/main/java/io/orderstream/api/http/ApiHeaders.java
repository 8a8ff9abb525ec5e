package io.orderstream.api.http;

/** The headers of the API's own contract, named once. */
public final class ApiHeaders {

    /** Names a command (POST, PUT): 1–255 printable ASCII characters, required. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** {@code true} on an answer that is the stored answer to an earlier request with the same key. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private ApiHeaders() {
    }
}
