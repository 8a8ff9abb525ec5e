package io.orderstream.api.orders;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a page of orders ended: the last order's {@code (createdAt, orderId)}, the keyset the list
 * is sorted by. Orders placed later sort before it, so they never shift the pages after it. Its
 * text form is opaque to clients (base64url); only what this class wrote is read back.
 */
record PageCursor(Instant createdAt, String orderId) {

    static final String PARAMETER = "cursor";
    private static final String VERSION = "o1";
    private static final int MAX_LENGTH = 200;
    /**
     * The instants a cursor may name: those an order can have been created at, and well inside what
     * PostgreSQL's {@code timestamptz} holds (4713 BC to 294276 AD), to the microsecond as it keeps them.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    static PageCursor after(OrderState last) {
        return new PageCursor(last.createdAt(), last.orderId());
    }

    String encode() {
        String text = VERSION + "|" + createdAt + "|" + orderId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiProblemException 400 {@code invalid-parameter} naming {@code cursor} */
    static PageCursor decode(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw invalid();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 3 || !parts[0].equals(VERSION) || !OrderKey.isValidOrderId(parts[2])) {
                throw invalid();
            }
            Instant createdAt = Instant.parse(parts[1]);
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST) || createdAt.getNano() % 1000 != 0) {
                throw invalid();
            }
            return new PageCursor(createdAt, parts[2]);
        } catch (IllegalArgumentException | DateTimeParseException notOurs) {
            throw invalid();
        }
    }

    private static ApiProblemException invalid() {
        return ApiProblemException.invalidParameter(PARAMETER,
                "is not a cursor this API issued; pass nextCursor from the previous page unchanged");
    }
}
