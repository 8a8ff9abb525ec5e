package io.orderstream.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Headers the processor puts on every result record, beside {@link MessageHeaders}, so that a reader
 * can route and cache a result without parsing it (an additive change within result version 1;
 * records without them, e.g. from an older processor, are read from their value as before).
 * Values are UTF-8 text.
 *
 * <ul>
 *   <li>{@link #REQUEST_ID}: the {@code requestId} of the value, the request an API instance waits for;
 *   <li>{@link #IDEMPOTENCY_KEY} and {@link #FINGERPRINT}: the command's key and request fingerprint;
 *   <li>{@link #STATUS}, {@link #OUTCOME} and {@link #REPLAYED}: the value's {@code status},
 *       {@code outcome} and {@code replayed};
 *   <li>{@link #KEY_EXPIRES_AT}: only when the answer is the one stored under the key (outcomes
 *       {@code APPLIED}, {@code UNCHANGED} and {@code REJECTED}, first answers and replays alike):
 *       until when (epoch milliseconds) the processor keeps the key, after which a duplicate is no
 *       longer answered from it. Absent for answers that stored nothing ({@code KEY_REUSED},
 *       {@code FAILED}, {@code EXPIRED}): a near cache must not keep those.
 * </ul>
 */
public final class ResultHeaders {

    public static final String REQUEST_ID = "orders-request-id";
    public static final String IDEMPOTENCY_KEY = "orders-idempotency-key";
    public static final String FINGERPRINT = "orders-fingerprint";
    public static final String STATUS = "orders-status";
    public static final String OUTCOME = "orders-outcome";
    public static final String REPLAYED = "orders-replayed";
    public static final String KEY_EXPIRES_AT = "orders-key-expires-at";

    private ResultHeaders() {
    }

    /**
     * Sets the result headers on {@code headers} (replacing any copied from the command).
     *
     * @param keyExpiresAtMs until when the answer stays stored under the key, or {@code null} when it
     *                       is not stored
     */
    public static Headers put(Headers headers, CommandResult result, String idempotencyKey, String fingerprint,
            Long keyExpiresAtMs) {
        return put(headers, result.requestId(), result.status(), result.outcome(), result.replayed(), idempotencyKey,
                fingerprint, keyExpiresAtMs);
    }

    /**
     * As {@link #put(Headers, CommandResult, String, String, Long)}, from the result's fields, for a
     * writer that has no {@link CommandResult} object (the processor writes results from bytes).
     */
    public static Headers put(Headers headers, String requestId, int status, CommandResult.Outcome outcome,
            boolean replayed, String idempotencyKey, String fingerprint, Long keyExpiresAtMs) {
        set(headers, REQUEST_ID, requestId);
        set(headers, IDEMPOTENCY_KEY, idempotencyKey);
        set(headers, FINGERPRINT, fingerprint);
        set(headers, STATUS, Integer.toString(status));
        set(headers, OUTCOME, outcome.name());
        set(headers, REPLAYED, Boolean.toString(replayed));
        headers.remove(KEY_EXPIRES_AT);
        if (keyExpiresAtMs != null) {
            headers.add(KEY_EXPIRES_AT, Long.toString(keyExpiresAtMs).getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** The request id a result record is addressed to, read from its header only. */
    public static Optional<String> requestId(Headers headers) {
        return MessageHeaders.lastString(headers, REQUEST_ID);
    }

    private static void set(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
