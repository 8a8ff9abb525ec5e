package io.orderstream.events;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (version 00): {@code 00-<trace-id>-<parent-id>-<flags>}.
 * Each hop keeps the trace id and flags and writes a span id of its own ({@link #child()}).
 */
public record Traceparent(String traceId, String spanId, String flags) {

    public static final String HEADER = "traceparent";

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern FLAGS = Pattern.compile("[0-9a-f]{2}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    public Traceparent {
        if (traceId == null || !TRACE_ID.matcher(traceId).matches() || traceId.equals(ZERO_TRACE)) {
            throw new IllegalArgumentException("invalid trace id");
        }
        if (spanId == null || !SPAN_ID.matcher(spanId).matches() || spanId.equals(ZERO_SPAN)) {
            throw new IllegalArgumentException("invalid span id");
        }
        if (flags == null || !FLAGS.matcher(flags).matches()) {
            throw new IllegalArgumentException("invalid trace flags");
        }
    }

    /** A new trace (sampled), for a request that came without one. */
    public static Traceparent start() {
        return new Traceparent(randomHex(16, ZERO_TRACE), randomHex(8, ZERO_SPAN), "01");
    }

    /**
     * Parses a header value as the W3C specification says: version {@code ff} and malformed values
     * are refused (empty), a future version is read by its first four fields.
     */
    public static Optional<Traceparent> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.length() < 55 || !VERSION.matcher(text.substring(0, 2)).matches() || text.startsWith("ff")) {
            return Optional.empty();
        }
        boolean v00 = text.startsWith("00");
        if ((v00 && text.length() != 55) || (!v00 && text.length() > 55 && text.charAt(55) != '-')) {
            return Optional.empty();
        }
        if (text.charAt(2) != '-' || text.charAt(35) != '-' || text.charAt(52) != '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(new Traceparent(text.substring(3, 35), text.substring(36, 52), text.substring(53, 55)));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }

    /** The same trace, a new span: what the next hop writes. */
    public Traceparent child() {
        return new Traceparent(traceId, randomHex(8, ZERO_SPAN), flags);
    }

    /** The header value. */
    @Override
    public String toString() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static String randomHex(int bytes, String zero) {
        byte[] random = new byte[bytes];
        String hex;
        do {
            ThreadLocalRandom.current().nextBytes(random);
            hex = HexFormat.of().formatHex(random);
        } while (hex.equals(zero));
        return hex;
    }
}
