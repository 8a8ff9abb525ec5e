package io.orderstream.events;

import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Field rules for commands, in one place: the API applies them before it produces a command
 * (400), and {@link OrderDecider} applies them again to whatever arrives on the topic.
 *
 * <p>Every string a command carries must be text the system can keep ({@link #textViolation}):
 * valid Unicode (no lone surrogate), no noncharacter, and no control character: none of C0
 * (U+0000–U+001F, NUL included), DEL (U+007F) or C1 (U+0080–U+009F), except TAB, LF and CR in
 * free text ({@code reason}). PostgreSQL keeps neither NUL nor a lone surrogate, and the others
 * have no place in an identifier or a reason. Violations name the field and the code point, never
 * the field's value: they end up in problem details, DLQ headers and logs.
 */
public final class CommandValidation {

    public static final int MAX_LINES = 100;
    public static final int MAX_TEXT = 255;
    public static final int MAX_QUANTITY = 1_000_000;

    private CommandValidation() {
    }

    /** The first violation, as {@code field: message}, or empty when the command is valid. */
    public static Optional<String> violation(OrderCommand command) {
        if (command instanceof OrderCommand.PlaceOrder place) {
            return placeOrder(place);
        }
        if (command instanceof OrderCommand.ChangeStatus change) {
            if (change.status() == null) {
                return Optional.of("status: is required");
            }
            return text("reason", change.reason(), false, true);
        }
        return Optional.of("type: unknown command");
    }

    /**
     * The first string of the envelope that is not text the system can keep, as {@code field:
     * message} (fields of the command named as in the HTTP body, envelope fields by their JSON
     * names), or empty. Stricter rules of single fields are {@link #violation}'s.
     */
    public static Optional<String> unkeepableText(CommandEnvelope envelope) {
        String[][] envelopeFields = {{"commandId", envelope.commandId()}, {"requestId", envelope.requestId()},
            {"idempotencyKey", envelope.idempotencyKey()}, {"fingerprint", envelope.fingerprint()},
            {"actor", envelope.actor()}};
        for (String[] field : envelopeFields) {
            Optional<String> violation = textViolation(field[0], field[1], false);
            if (violation.isPresent()) {
                return violation;
            }
        }
        if (envelope.command() instanceof OrderCommand.PlaceOrder place) {
            Optional<String> violation = textViolation("customerId", place.customerId(), false)
                    .or(() -> textViolation("currency", place.currency(), false));
            if (violation.isPresent() || place.lines() == null) {
                return violation;
            }
            for (int i = 0; i < place.lines().size(); i++) {
                OrderLine line = place.lines().get(i);
                violation = line == null ? Optional.empty() : textViolation("lines[" + i + "].sku", line.sku(), false);
                if (violation.isPresent()) {
                    return violation;
                }
            }
            return Optional.empty();
        }
        if (envelope.command() instanceof OrderCommand.ChangeStatus change) {
            return textViolation("reason", change.reason(), true);
        }
        return Optional.empty();
    }

    /**
     * Why {@code value} is not text the system can keep, as {@code field: message} naming the
     * position and code point (never the value), or empty when it is (or is null).
     *
     * @param freeText whether TAB, LF and CR are allowed (free text such as a reason)
     */
    public static Optional<String> textViolation(String field, String value, boolean freeText) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String problem = null;
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                codePoint = value.codePointAt(i);
                if (isNoncharacter(codePoint)) {
                    problem = "a noncharacter";
                }
            } else if (Character.isSurrogate(c)) {
                problem = "a lone surrogate (not valid Unicode)";
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                if (!(freeText && (c == '\t' || c == '\n' || c == '\r'))) {
                    problem = "a control character";
                }
            } else if (isNoncharacter(c)) {
                problem = "a noncharacter";
            }
            if (problem != null) {
                return Optional.of(String.format("%s: contains %s, U+%04X, at position %d; text must be valid "
                        + "Unicode without control characters", field, problem, codePoint, i + 1));
            }
            if (codePoint > 0xffff) {
                i++; // the low half of the pair
            }
        }
        return Optional.empty();
    }

    /** U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, …). */
    private static boolean isNoncharacter(int codePoint) {
        return (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) == 0xfffe;
    }

    private static Optional<String> placeOrder(OrderCommand.PlaceOrder place) {
        Optional<String> customer = text("customerId", place.customerId(), true, false);
        if (customer.isPresent()) {
            return customer;
        }
        Optional<String> currencyText = textViolation("currency", place.currency(), false);
        if (currencyText.isPresent()) {
            return currencyText;
        }
        if (!isCurrency(place.currency())) {
            return Optional.of("currency: must be an ISO 4217 currency code such as EUR");
        }
        List<OrderLine> lines = place.lines();
        if (lines == null || lines.isEmpty()) {
            return Optional.of("lines: at least one line is required");
        }
        if (lines.size() > MAX_LINES) {
            return Optional.of("lines: at most " + MAX_LINES + " lines");
        }
        long total = 0;
        for (int i = 0; i < lines.size(); i++) {
            String at = "lines[" + i + "].";
            OrderLine line = lines.get(i);
            if (line == null) {
                return Optional.of("lines[" + i + "]: must not be null");
            }
            Optional<String> sku = text(at + "sku", line.sku(), true, false);
            if (sku.isPresent()) {
                return sku;
            }
            if (line.quantity() <= 0 || line.quantity() > MAX_QUANTITY) {
                return Optional.of(at + "quantity: must be between 1 and " + MAX_QUANTITY);
            }
            if (line.unitPriceMinor() < 0) {
                return Optional.of(at + "unitPriceMinor: must not be negative");
            }
            try {
                total = Math.addExact(total, line.totalMinor());
            } catch (ArithmeticException overflow) {
                return Optional.of(at + "unitPriceMinor: the order total overflows");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(String field, String value, boolean required, boolean freeText) {
        // first: Java counts some controls (U+000B, U+001C–U+001F) as blank
        Optional<String> unkeepable = textViolation(field, value, freeText);
        if (unkeepable.isPresent()) {
            return unkeepable;
        }
        if (value == null || value.isBlank()) {
            return required ? Optional.of(field + ": is required") : Optional.empty();
        }
        if (value.length() > MAX_TEXT) {
            return Optional.of(field + ": at most " + MAX_TEXT + " characters");
        }
        return Optional.empty();
    }

    static boolean isCurrency(String code) {
        if (code == null || code.length() != 3 || !code.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
