package io.orderstream.events;

import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Field rules for commands, in one place: the API applies them before it produces a command
 * (400), and {@link OrderDecider} applies them again to whatever arrives on the topic.
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
            return text("reason", change.reason(), false);
        }
        return Optional.of("type: unknown command");
    }

    private static Optional<String> placeOrder(OrderCommand.PlaceOrder place) {
        Optional<String> customer = text("customerId", place.customerId(), true);
        if (customer.isPresent()) {
            return customer;
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
            Optional<String> sku = text(at + "sku", line.sku(), true);
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

    private static Optional<String> text(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            return required ? Optional.of(field + ": is required") : Optional.empty();
        }
        if (value.length() > MAX_TEXT) {
            return Optional.of(field + ": at most " + MAX_TEXT + " characters");
        }
        return Optional.empty();
    }

    static boolean isCurrency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
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
