package io.orderstream.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import java.nio.charset.StandardCharsets;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.List;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The projection's rows, the one mapping between orders and events and the tables of
 * {@code V1__orders_projection.sql}: one {@code order_events} row per event, one {@code orders} row
 * per order, both ways (values to write, and what a row read back means). The same values feed the
 * projector's set-based statements ({@link ProjectionTables}), COPY (the rebuild's bulk load) and
 * the readers (the API, the ops tools, the test evidence). Times are written as PostgreSQL stores
 * them, rounded to the microsecond here ({@link #micros}) and nowhere else.
 */
public final class ProjectionRows {

    public static final String EVENT_COLUMNS = "tenant_id, order_id, sequence, event_id, event_type, schema_version, "
            + "occurred_at, causation_id, request_id, idempotency_key, payload";
    public static final String ORDER_COLUMNS = "tenant_id, order_id, status, version, customer_id, currency, total_minor, "
            + "lines, created_at, updated_at";
    /** The {@code jsonb} column of each row: its value is bound as text and cast. */
    public static final int EVENT_JSON_COLUMN = 10;
    public static final int ORDER_JSON_COLUMN = 7;

    private ProjectionRows() {
    }

    public static Object[] event(EventEnvelope e) {
        return new Object[] {e.tenantId(), e.orderId(), e.sequence(), UUID.fromString(e.eventId()),
                e.event().typeName(), e.schemaVersion(), e.occurredAt(), e.causationId(), e.requestId(),
                e.idempotencyKey(), json(e.event())};
    }

    /**
     * Why PostgreSQL could never hold this event's rows, without quoting it; {@code null} when it can,
     * as far as can be told without asking it: an event id that is no UUID, or text with a NUL or a
     * lone surrogate (neither text nor jsonb holds them). The projector finds the same by asking
     * PostgreSQL, and sets such events aside; so does the rebuild, for these, before its COPY.
     */
    public static String unwritable(EventEnvelope e) {
        try {
            UUID.fromString(e.eventId());
        } catch (IllegalArgumentException notUuid) {
            return "eventId is not a UUID";
        }
        for (Object value : event(e)) {
            if (value instanceof String text && !storable(text)) {
                return "text with a NUL or a lone surrogate, which PostgreSQL cannot hold";
            }
        }
        return null;
    }

    /**
     * No NUL and no lone surrogate, whether as a character or, in JSON (the payload), as an escape
     * ({@code \u005Cu0000}, {@code \u005CuD800}: Jackson writes a lone surrogate that way).
     */
    private static boolean storable(String text) {
        char pendingHigh = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 5 < text.length() && text.charAt(i + 1) == 'u') {
                try {
                    c = (char) Integer.parseInt(text.substring(i + 2, i + 6), 16);
                    i += 5;
                } catch (NumberFormatException notAnEscape) {
                    // a backslash and a 'u' in plain text
                }
            } else if (c == '\\' && i + 1 < text.length()) {
                i++; // another escape, or an escaped backslash: never a NUL or a surrogate
                c = 'x';
            }
            if (c == 0 || (Character.isLowSurrogate(c) && pendingHigh == 0)
                    || (pendingHigh != 0 && !Character.isLowSurrogate(c))) {
                return false;
            }
            pendingHigh = Character.isHighSurrogate(c) ? c : 0;
        }
        return pendingHigh == 0;
    }

    public static Object[] order(OrderKey key, OrderState o) {
        return new Object[] {key.tenantId(), key.orderId(), o.status().name(), o.version(), o.customerId(),
                o.currency(), o.totalMinor(), json(o.lines()), o.createdAt(), o.updatedAt()};
    }

    /** Appends a row in COPY's text format: tab-separated, {@code \N} for null, backslash escapes. */
    public static void appendCopy(StringBuilder out, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object value = row[i];
            if (value == null) {
                out.append("\\N");
            } else if (value instanceof Number) {
                out.append(value);
            } else if (value instanceof Instant instant) {
                out.append(micros(instant));
            } else {
                escape(out, value.toString());
            }
        }
        out.append('\n');
    }

    private static void escape(StringBuilder out, String text) {
        if (!needsEscape(text)) {
            out.append(text);
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    /**
     * A time as PostgreSQL stores it, in microseconds, rounded half up. The one place times are
     * rounded: every writer binds {@link #timestamp} or COPYs this value, and every comparison with a
     * fold uses it, so that no rounding is left to the driver (half up) or to COPY (half to even).
     */
    public static Instant micros(Instant instant) {
        if (instant == null) {
            return null;
        }
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        return instant.getNano() % 1_000 >= 500 ? truncated.plus(1, ChronoUnit.MICROS) : truncated;
    }

    /**
     * The {@code orders} columns to select for {@link #state}: {@code lines} as text, which the
     * driver hands over as it is (as jsonb it would be a PGobject).
     */
    public static final String SELECT_ORDER = ORDER_COLUMNS.replace("lines", "lines::text AS lines");

    /** The {@code order_events} columns to select for {@link #recorded}: {@code payload} as text. */
    public static final String SELECT_EVENT = EVENT_COLUMNS.replace("payload", "payload::text AS payload");

    /** An {@code orders} row (selected with {@link #SELECT_ORDER}) as the order's state. */
    public static OrderState state(ResultSet row) throws SQLException {
        OrderLine[] lines = Json.read(row.getString("lines").getBytes(StandardCharsets.UTF_8), OrderLine[].class);
        return new OrderState(row.getString("order_id"), OrderStatus.valueOf(row.getString("status")),
                row.getLong("version"), row.getString("customer_id"), row.getString("currency"),
                row.getLong("total_minor"), List.of(lines), instant(row, "created_at"), instant(row, "updated_at"));
    }

    /** An {@code order_events} row (selected with {@link #SELECT_EVENT}) as the event it records. */
    public static EventEnvelope recorded(ResultSet row) throws SQLException {
        return new EventEnvelope(row.getInt("schema_version"), row.getString("event_id"), row.getString("tenant_id"),
                row.getString("order_id"), row.getLong("sequence"), instant(row, "occurred_at"),
                row.getString("causation_id"), row.getString("request_id"), row.getString("idempotency_key"),
                Json.read(row.getString("payload").getBytes(StandardCharsets.UTF_8), OrderEvent.class));
    }

    /** A {@code timestamptz} column as an instant; {@code null} for SQL null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The order as its {@code orders} row holds it: its times rounded as PostgreSQL stores them. */
    public static OrderState asStored(OrderState o) {
        return o == null ? null : new OrderState(o.orderId(), o.status(), o.version(), o.customerId(), o.currency(),
                o.totalMinor(), o.lines(), micros(o.createdAt()), micros(o.updatedAt()));
    }

    /** The event as its {@code order_events} row holds it: its time rounded as PostgreSQL stores it. */
    public static EventEnvelope asStored(EventEnvelope e) {
        return new EventEnvelope(e.schemaVersion(), e.eventId(), e.tenantId(), e.orderId(), e.sequence(),
                micros(e.occurredAt()), e.causationId(), e.requestId(), e.idempotencyKey(), e.event());
    }

    /** A time as a {@code timestamptz} parameter: in UTC, rounded as PostgreSQL stores it ({@link #micros}). */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : micros(instant).atOffset(ZoneOffset.UTC);
    }

    /** Binds a row's values to {@code ?} parameters 1…n. */
    public static void bind(PreparedStatement statement, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value instanceof Instant instant) {
                statement.setObject(i + 1, timestamp(instant));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** {@code ?, ?, …} with the JSON column cast to jsonb. */
    public static String placeholders(int count, int jsonColumn) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "?" : ", ?").append(i == jsonColumn ? "::jsonb" : "");
        }
        return sql.toString();
    }

    static String json(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
