package io.orderstream.processor.orders;

import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.SchemaVersions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Writes a result record's value from an {@link Answer}: the bytes {@link Json#write} gives for the
 * same {@link CommandResult} (properties in declaration order, the derived {@code success} last),
 * with the order or problem copied in as the JSON it already is rather than mapped again. The
 * processor writes every result this way, the first answer and each replay alike; the tests hold it
 * to {@code Json.write} byte for byte.
 */
final class ResultJson {

    private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();
    private static final byte[] NULL = ascii("null");

    private ResultJson() {
    }

    static byte[] write(Answer answer) {
        byte[] order = answer.orderJson() == null ? NULL : answer.orderJson();
        byte[] problem = answer.problemJson() == null ? NULL : answer.problemJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + order.length + problem.length);
        out.writeBytes(ascii("{\"schemaVersion\":" + SchemaVersions.RESULT + ",\"requestId\":"));
        string(out, answer.requestId());
        out.writeBytes(ascii(",\"commandId\":"));
        string(out, answer.commandId());
        out.writeBytes(ascii(",\"tenantId\":"));
        string(out, answer.tenantId());
        out.writeBytes(ascii(",\"orderId\":"));
        string(out, answer.orderId());
        out.writeBytes(ascii(",\"outcome\":\"" + answer.outcome().name() + "\",\"status\":" + answer.status()
                + ",\"order\":"));
        out.writeBytes(order);
        out.writeBytes(ascii(",\"problem\":"));
        out.writeBytes(problem);
        out.writeBytes(ascii(",\"replayed\":" + answer.replayed() + ",\"processedAt\":"));
        if (answer.processedAt() == null) {
            out.writeBytes(NULL);
        } else {
            // Instant.toString is ISO_INSTANT, the format Jackson writes instants in
            out.writeBytes(ascii("\"" + answer.processedAt() + "\""));
        }
        out.writeBytes(ascii(",\"success\":" + (answer.orderJson() != null) + "}"));
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(NULL);
            return;
        }
        out.write('"');
        out.writeBytes(STRINGS.quoteAsUTF8(value));
        out.write('"');
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
