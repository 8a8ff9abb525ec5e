package io.orderstream.processor.orders;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.idempotency.IdempotencyRecord;
import io.orderstream.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A command's answer as the idempotency store keeps it: the result itself, without HTTP. The
 * stored status is the result's {@code status}; the body names its format in its first byte:
 *
 * <pre>
 * format 1: 0x01 | outcome length (1) | outcome name (ASCII) | 'o' (order) or 'p' (problem) | its JSON
 * </pre>
 *
 * Answers stored by earlier versions (until they expire) are read too: those have no format byte
 * but HTTP headers, {@code Content-Type} (JSON for an order, problem JSON for a problem) and
 * {@code Order-Stream-Outcome}, and the JSON as the body.
 */
final class StoredResults {

    static final byte FORMAT_1 = 0x01;
    private static final byte ORDER = 'o';
    private static final byte PROBLEM = 'p';
    /** Headers of the answers earlier versions stored. */
    static final String LEGACY_CONTENT_TYPE = "Content-Type";
    static final String LEGACY_OUTCOME = "Order-Stream-Outcome";
    private static final String LEGACY_JSON = "application/json";

    private StoredResults() {
    }

    static StoredResponse toStored(Answer answer) {
        byte[] outcome = answer.outcome().name().getBytes(StandardCharsets.US_ASCII);
        byte[] json = answer.orderJson() != null ? answer.orderJson() : answer.problemJson();
        byte[] body = new byte[3 + outcome.length + json.length];
        body[0] = FORMAT_1;
        body[1] = (byte) outcome.length;
        System.arraycopy(outcome, 0, body, 2, outcome.length);
        body[2 + outcome.length] = answer.orderJson() != null ? ORDER : PROBLEM;
        System.arraycopy(json, 0, body, 3 + outcome.length, json.length);
        return new StoredResponse(answer.status(), Map.of(), body);
    }

    /** The stored answer, addressed to the duplicate that asked again. */
    static Answer replay(IdempotencyRecord record, CommandEnvelope duplicate) {
        StoredResponse stored = record.response();
        byte[] body = stored.body();
        CommandResult.Outcome outcome;
        boolean success;
        byte[] json;
        String legacyOutcome = stored.headers().get(LEGACY_OUTCOME);
        if (legacyOutcome != null) {
            outcome = CommandResult.Outcome.valueOf(legacyOutcome);
            success = LEGACY_JSON.equals(stored.headers().get(LEGACY_CONTENT_TYPE));
            json = body;
        } else if (body.length > 3 && body[0] == FORMAT_1) {
            int length = body[1];
            outcome = CommandResult.Outcome.valueOf(new String(body, 2, length, StandardCharsets.US_ASCII));
            success = body[2 + length] == ORDER;
            json = Arrays.copyOfRange(body, 3 + length, body.length);
        } else {
            throw new IllegalStateException("unknown stored answer format " + (body.length == 0 ? "(empty)" : body[0])
                    + " (a newer version stored it)");
        }
        return new Answer(duplicate.requestId(), duplicate.commandId(), duplicate.tenantId(), duplicate.orderId(),
                outcome, stored.status(), success ? json : null, success ? null : json, true,
                Instant.ofEpochMilli(record.createdAtMs()));
    }
}
