package io.orderstream.ops.support;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** ISO-8601 instants for options: {@code 2026-11-26T10:00:00Z} or with an offset, {@code …T11:00:00+01:00}. */
public final class Timestamps implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 date-time with a zone, such as "
                        + "2026-11-26T10:00:00Z or 2026-11-26T11:00:00+01:00");
            }
        }
    }
}
