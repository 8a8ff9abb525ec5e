package io.orderstream.processor.orders;

/**
 * A command carries a string the system cannot keep (a NUL, a lone surrogate, another control
 * character or a noncharacter; see {@code CommandValidation}). Its message names the field and the
 * code point, never the value, since it goes to DLQ headers and logs.
 */
final class UnkeepableTextException extends IllegalArgumentException {

    UnkeepableTextException(String violation) {
        super(violation);
    }
}
