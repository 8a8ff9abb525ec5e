package io.orderstream.api.orders;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.CommandValidation;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.ProblemType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies strictly: unknown fields, strings for numbers, fractions for integers,
 * numbers for enums and trailing content are refused with the offending field named, rather than
 * guessed at. A member named twice in one object (at any depth) makes the body ambiguous: it is a
 * malformed body, never read with its last value.
 */
final class RequestBodies {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS) // {"status":3} is no status
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // {"status":"A","status":"B"} is neither
            .build();

    private RequestBodies() {
    }

    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiProblemException(ProblemType.MALFORMED_BODY, "A JSON body is required.");
        }
        String text;
        try {
            // RFC 8259: UTF-8 only, and strictly (Jackson would read an overlong "\xC0\xAF" as '/')
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new ApiProblemException(ProblemType.MALFORMED_BODY, "The body is not valid UTF-8.");
        }
        try {
            T value = STRICT.readValue(text, type);
            if (value == null) {
                throw new ApiProblemException(ProblemType.MALFORMED_BODY, "The body must be a JSON object.");
            }
            return value;
        } catch (JacksonException e) {
            // a named field with a bad value is a validation problem; anything else is not JSON we can read
            // (also where a field is known: a syntax error or a duplicate member inside lines[0])
            if (isSyntax(e)) {
                throw new ApiProblemException(ProblemType.MALFORMED_BODY, syntax((StreamReadException) e));
            }
            boolean field = !path(e).isEmpty() || e instanceof UnrecognizedPropertyException;
            throw new ApiProblemException(field ? ProblemType.VALIDATION : ProblemType.MALFORMED_BODY, describe(e));
        }
    }

    static void validate(OrderCommand command) {
        CommandValidation.violation(command).ifPresent(violation -> {
            throw invalid(violation);
        });
    }

    static ApiProblemException invalid(String violation) {
        return new ApiProblemException(ProblemType.VALIDATION, violation);
    }

    private static String describe(JacksonException e) {
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return (field.isEmpty() ? unknown.getPropertyName() : field) + ": unknown field";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return field + ": '" + format.getValue() + "' is not one of " + Arrays.stream(
                    format.getTargetType().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (field.isEmpty()) {
            return "The body must be a JSON object with the fields of this request.";
        }
        return field + ": wrong type or malformed value";
    }

    /** An error of the JSON text itself, not of a value's type or range. */
    private static boolean isSyntax(JacksonException e) {
        return e instanceof StreamReadException && !(e instanceof InputCoercionException);
    }

    /** Jackson's words on the syntax, and where in the document, never a class name of ours. */
    private static String syntax(StreamReadException e) {
        String where = "";
        JsonParser parser = e.processor();
        if (parser != null) {
            String at = path(parser.streamReadContext());
            where = at.isEmpty() ? "" : " (at " + at + ")";
        }
        return "The body is not valid JSON: " + abbreviate(e.getOriginalMessage()) + where;
    }

    /** {@code lines[0].sku} for the member the parser is in. */
    private static String path(TokenStreamContext context) {
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.currentName() != null) {
                parts.push((at.getParent() == null || at.getParent().inRoot() ? "" : ".") + at.currentName());
            } else if (at.inArray()) {
                parts.push("[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        return String.join("", parts);
    }

    private static String abbreviate(String message) {
        String text = String.valueOf(message);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
