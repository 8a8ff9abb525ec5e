package io.orderstream.api.orders;

import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.Problem;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A command's answer as the client gets it: its status, whether it is a replay, and either the
 * order's JSON, the very bytes the processor wrote into the result, or the problem. Read from a
 * result record in one pass of a streaming parser: no {@link CommandResult} is bound and the order
 * is not written to JSON again.
 *
 * @param orderJson the {@code order} member of the result, byte for byte; {@code null} with a problem
 */
record StoredAnswer(int status, boolean replayed, String orderId, byte[] orderJson, Problem problem) {

    boolean isSuccess() {
        return orderJson != null;
    }

    /** The same answer, as the stored answer to a later request with the key. */
    StoredAnswer asReplay() {
        return replayed ? this : new StoredAnswer(status, true, orderId, orderJson, problem);
    }

    static StoredAnswer of(CommandResult result) {
        return new StoredAnswer(result.status(), result.replayed(), result.orderId(),
                result.order() == null ? null : Json.write(result.order()), result.problem());
    }

    /**
     * Reads the members of a result value the answer needs, skipping the others.
     *
     * @throws IllegalArgumentException when the value is not a result with an order or a problem
     */
    static StoredAnswer read(byte[] value) {
        Integer status = null;
        boolean replayed = false;
        String orderId = null;
        byte[] order = null;
        Problem problem = null;
        try (JsonParser parser = Json.MAPPER.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a command result is a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "status" -> status = parser.getIntValue();
                    case "replayed" -> replayed = token == JsonToken.VALUE_TRUE;
                    case "orderId" -> orderId = token == JsonToken.VALUE_NULL ? null : parser.getString();
                    case "order" -> {
                        if (token == JsonToken.START_OBJECT) {
                            int start = (int) parser.currentTokenLocation().getByteOffset();
                            parser.skipChildren();
                            order = Arrays.copyOfRange(value, start, (int) parser.currentLocation().getByteOffset());
                        }
                    }
                    case "problem" -> {
                        if (token == JsonToken.START_OBJECT) {
                            problem = parser.readValueAs(Problem.class);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        }
        if (status == null || (order == null) == (problem == null)) {
            throw new IllegalArgumentException("a command result carries a status and either an order or a problem");
        }
        return new StoredAnswer(status, replayed, orderId, order, problem);
    }
}
