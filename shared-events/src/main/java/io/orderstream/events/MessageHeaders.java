package io.orderstream.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers every command, event and result record carries: {@code content-type},
 * {@code schema}, {@code schema-version} and a W3C {@code traceparent}. Values are UTF-8 text.
 */
public final class MessageHeaders {

    public static final String CONTENT_TYPE = "content-type";
    public static final String SCHEMA = "schema";
    public static final String SCHEMA_VERSION = "schema-version";
    public static final String TRACEPARENT = Traceparent.HEADER;
    public static final String JSON = "application/json";

    private MessageHeaders() {
    }

    /**
     * The headers of a record written as one hop of a trace: the {@code inherited} headers
     * (e.g. those of the input record) with this module's four set anew; the trace of
     * {@code inherited} continues with a new span, or a trace starts.
     */
    public static Headers of(MessageSchema schema, Headers inherited) {
        Traceparent trace = lastString(inherited, TRACEPARENT).flatMap(Traceparent::parse)
                .map(Traceparent::child).orElseGet(Traceparent::start);
        return of(schema, inherited, trace);
    }

    /** As {@link #of(MessageSchema, Headers)}, with the given trace position. */
    public static Headers of(MessageSchema schema, Headers inherited, Traceparent trace) {
        Headers headers = inherited == null ? new RecordHeaders() : new RecordHeaders(inherited.toArray());
        put(headers, CONTENT_TYPE, JSON);
        put(headers, SCHEMA, schema.schemaName());
        put(headers, SCHEMA_VERSION, Integer.toString(schema.currentVersion()));
        put(headers, TRACEPARENT, trace.toString());
        return headers;
    }

    public static Optional<String> lastString(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
