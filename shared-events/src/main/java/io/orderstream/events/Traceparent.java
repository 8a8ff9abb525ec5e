package io.orderstream.events;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} (version 00): {@code 00-<trace-id>-<parent-id>-<flags>}.
 * Each hop keeps the trace id and flags and writes a span id of its own ({@link #child()}).
 */
public record Traceparent(String traceId, String spanId, String flags) {

    public static final String HEADER = "traceparent";

    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    public Traceparent {
        if (traceId == null || !isLowerHex(traceId, 32) || traceId.equals(ZERO_TRACE)) {
            throw new IllegalArgumentException("invalid trace id");
        }
        if (spanId == null || !isLowerHex(spanId, 16) || spanId.equals(ZERO_SPAN)) {
            throw new IllegalArgumentException("invalid span id");
        }
        if (flags == null || !isLowerHex(flags, 2)) {
            throw new IllegalArgumentException("invalid trace flags");
        }
    }

    /** A new trace (sampled), for a request that came without one. */
    public static Traceparent start() {
        return started(true);
    }

    /**
     * A new trace, sampled (its flag asking every hop to record it) with this probability: a hop's
     * sampling decision for a trace that starts there.
     */
    public static Traceparent start(double probability) {
        return started(ThreadLocalRandom.current().nextDouble() < probability);
    }

    private static Traceparent started(boolean sampled) {
        return new Traceparent(randomHex(16, ZERO_TRACE), randomHex(8, ZERO_SPAN), sampled ? "01" : "00");
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
        if (text.length() < 55 || !isLowerHex(text.substring(0, 2), 2) || text.startsWith("ff")) {
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

    /** The sampled flag: whether the caller records this trace (and asks the next hops to). */
    public boolean sampled() {
        return (Character.digit(flags.charAt(1), 16) & 1) == 1;
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

    /** Exactly {@code length} characters of {@code [0-9a-f]}: checked on every record, so no regex. */
    private static boolean isLowerHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
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
