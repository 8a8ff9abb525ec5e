package io.orderstream.events;

import java.net.URI;

/**
 * Every problem the service answers with, each with a stable RFC 9457 {@code type} URI. Names
 * and URIs are part of the HTTP contract: add, never rename.
 */
public enum ProblemType {
    VALIDATION("validation", "Invalid request", 400),
    IDEMPOTENCY_KEY_MISSING("idempotency-key-missing", "Idempotency-Key header required", 400),
    IDEMPOTENCY_KEY_INVALID("idempotency-key-invalid", "Invalid Idempotency-Key", 400),
    MALFORMED_BODY("malformed-body", "Malformed request body", 400),
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    FORBIDDEN("forbidden", "Not allowed", 403),
    ORDER_NOT_FOUND("order-not-found", "Order not found", 404),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    ORDER_ALREADY_EXISTS("order-already-exists", "Order already exists", 409),
    INVALID_TRANSITION("invalid-transition", "Status change not allowed", 409),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key reused with a different request", 422),
    PROCESSING_FAILED("processing-failed", "Command could not be processed", 500),
    INTERNAL("internal", "Internal error", 500),
    UNAVAILABLE("unavailable", "Service temporarily unavailable", 503),
    INVALID_PARAMETER("invalid-parameter", "Invalid query parameter", 400),
    BAD_REQUEST("bad-request", "Bad request", 400),
    CORS_REJECTED("cors-rejected", "Cross-origin request not allowed", 403),
    /**
     * The command reached the processor outside its idempotency window (older than the TTL, or
     * dated too far ahead): not decided, nothing done. 503 because it is no fault of the request
     * (the system was too slow, or a clock is off) and repeating it with the same key is safe and
     * gets it decided.
     */
    COMMAND_EXPIRED("command-expired", "Command outside the idempotency window", 503);

    /** Base of every problem type URI: a URN, stable and independent of where the service runs. */
    public static final String BASE = "urn:order-stream:problem:";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    public Problem problem(String detail) {
        return new Problem(uri().toString(), title, status, detail);
    }

    /**
     * The answer to a request that reuses {@code idempotencyKey} with a different request to the same
     * order: the processor gives it, and so does an API that knows the key's stored answer (its near
     * cache), word for word the same.
     */
    public static Problem keyReused(String idempotencyKey) {
        return IDEMPOTENCY_KEY_REUSED.problem("Idempotency-Key " + idempotencyKey
                + " was already used for a different request to this order.");
    }
}
