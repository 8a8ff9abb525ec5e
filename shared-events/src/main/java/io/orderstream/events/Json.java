package io.orderstream.events;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of every message: ISO-8601 instants, properties in declaration order,
 * unknown properties tolerated (readers must accept additive changes), nulls written as null.
 * Thread-safe; Jackson mappers are immutable.
 */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /**
     * Reads a message; an {@link EventEnvelope} of an older schema version is upcast to the newest
     * first, so every reader of the event log sees one shape.
     *
     * @throws JacksonException (unchecked) when the bytes are not valid JSON of that type, or the
     *                          record's constructor refuses them
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        if (type == EventEnvelope.class) {
            return MAPPER.treeToValue(EventUpcaster.upcast(MAPPER.readTree(bytes)), type);
        }
        return MAPPER.readValue(bytes, type);
    }

    /**
     * Reads input that anyone may have written (a command): like {@link #read}, but a JSON object
     * that names a member twice is refused rather than read with its last value, since such a
     * document means different things to different readers.
     *
     * @throws JacksonException (unchecked) as {@link #read} does, and for a duplicate member
     */
    public static <T> T readStrict(byte[] bytes, Class<T> type) {
        // readers are immutable and cached per type: building one per call costs more than the read
        ObjectReader reader = STRICT_READERS.computeIfAbsent(type,
                t -> MAPPER.readerFor(t).with(StreamReadFeature.STRICT_DUPLICATE_DETECTION));
        return reader.readValue(bytes);
    }

    private static final java.util.concurrent.ConcurrentMap<Class<?>, ObjectReader> STRICT_READERS =
            new java.util.concurrent.ConcurrentHashMap<>();
}
