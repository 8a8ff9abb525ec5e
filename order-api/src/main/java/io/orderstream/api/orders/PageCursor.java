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
            return new PageCursor(Instant.parse(parts[1]), parts[2]);
        } catch (IllegalArgumentException | DateTimeParseException notOurs) {
            throw invalid();
        }
    }

    private static ApiProblemException invalid() {
        return ApiProblemException.invalidParameter(PARAMETER,
                "is not a cursor this API issued; pass nextCursor from the previous page unchanged");
    }
}
