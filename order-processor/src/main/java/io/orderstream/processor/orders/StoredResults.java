package io.orderstream.processor.orders;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.OrderState;
import io.orderstream.events.Problem;
import io.orderstream.events.SchemaVersions;
import io.orderstream.idempotency.IdempotencyRecord;
import io.orderstream.idempotency.StoredResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command's result as the idempotency store keeps it: the HTTP status, the headers a replay
 * must repeat, and the body (the order, or the problem).
 */
final class StoredResults {

    static final String CONTENT_TYPE = "Content-Type";
    static final String LOCATION = "Location";
    static final String OUTCOME = "Order-Stream-Outcome";
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private StoredResults() {
    }

    static StoredResponse toStored(CommandResult result) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CONTENT_TYPE, result.isSuccess() ? JSON : PROBLEM_JSON);
        headers.put(OUTCOME, result.outcome().name());
        if (result.status() == 201) {
            headers.put(LOCATION, "/api/v1/orders/" + result.orderId());
        }
        byte[] body = result.isSuccess() ? Json.write(result.order()) : Json.write(result.problem());
        return new StoredResponse(result.status(), headers, body);
    }

    /** The stored answer, addressed to the duplicate that asked again. */
    static CommandResult replay(IdempotencyRecord record, CommandEnvelope duplicate) {
        StoredResponse stored = record.response();
        boolean success = JSON.equals(stored.headers().get(CONTENT_TYPE));
        return new CommandResult(SchemaVersions.RESULT, duplicate.requestId(), duplicate.commandId(),
                duplicate.tenantId(), duplicate.orderId(),
                CommandResult.Outcome.valueOf(stored.headers().get(OUTCOME)), stored.status(),
                success ? Json.read(stored.body(), OrderState.class) : null,
                success ? null : Json.read(stored.body(), Problem.class), true,
                Instant.ofEpochMilli(record.createdAtMs()));
    }
}
