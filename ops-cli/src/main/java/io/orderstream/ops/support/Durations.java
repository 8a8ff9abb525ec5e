package io.orderstream.ops.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the services take them: Spring Boot's simple form ({@code 24h}, {@code 30m},
 * {@code 10s}, {@code 500ms}, {@code 7d}; a bare number is milliseconds) or ISO-8601
 * ({@code PT24H}).
 */
public final class Durations implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("^([+]?\\d+)(ns|us|ms|s|m|h|d)?$");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** @throws IllegalArgumentException naming the value when it is not a positive duration */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim();
        Duration parsed;
        Matcher simple = SIMPLE.matcher(text.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "ms" : simple.group(2);
            parsed = switch (unit) {
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                parsed = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not a duration such as 24h, 30m, 10s or PT24H");
            }
        }
        if (parsed.isZero() || parsed.isNegative()) {
            throw new IllegalArgumentException("'" + value + "' is not a positive duration");
        }
        return parsed;
    }
}
