package io.orderstream.processor.orders;

import io.orderstream.events.CommandResult;
import java.time.Instant;

/**
 * A command's answer as the processor handles it: the fields of a {@link CommandResult} with the
 * order or the problem already written as JSON, so that those bytes are written once and reused for
 * the stored answer, the order-state store and the result record ({@link ResultJson}).
 *
 * @param orderJson   the order after the command (success), or null
 * @param problemJson the problem (failure), or null; exactly one of the two is set
 */
record Answer(String requestId, String commandId, String tenantId, String orderId, CommandResult.Outcome outcome,
        int status, byte[] orderJson, byte[] problemJson, boolean replayed, Instant processedAt) {

    Answer {
        if ((orderJson == null) == (problemJson == null)) {
            throw new IllegalArgumentException("an answer carries either an order or a problem");
        }
    }
}
