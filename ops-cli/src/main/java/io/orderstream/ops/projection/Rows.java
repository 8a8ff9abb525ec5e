package io.orderstream.ops.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import java.nio.charset.StandardCharsets;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The projection's rows as the projector writes them ({@code V1__orders_projection.sql}): one
 * {@code order_events} row per event, one {@code orders} row per order. The same values feed COPY
 * (bulk load) and prepared statements (catching up).
 */
final class Rows {

    static final String EVENT_COLUMNS = "tenant_id, order_id, sequence, event_id, event_type, schema_version, "
            + "occurred_at, causation_id, request_id, idempotency_key, payload";
    static final String ORDER_COLUMNS = "tenant_id, order_id, status, version, customer_id, currency, total_minor, "
            + "lines, created_at, updated_at";
    /** The {@code jsonb} column of each row: its value is bound as text and cast. */
    static final int EVENT_JSON_COLUMN = 10;
    static final int ORDER_JSON_COLUMN = 7;

    private Rows() {
    }

    static Object[] event(EventEnvelope e) {
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
    static String unwritable(EventEnvelope e) {
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

    static Object[] order(OrderKey key, OrderState o) {
        return new Object[] {key.tenantId(), key.orderId(), o.status().name(), o.version(), o.customerId(),
                o.currency(), o.totalMinor(), json(o.lines()), o.createdAt(), o.updatedAt()};
    }

    /** Appends a row in COPY's text format: tab-separated, {@code \N} for null, backslash escapes. */
    static void appendCopy(StringBuilder out, Object[] row) {
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
     * A time as PostgreSQL stores it, in microseconds, rounded half up as the JDBC driver rounds what
     * the projector writes (COPY would round half to even): both ways give the same rows.
     */
    static Instant micros(Instant instant) {
        if (instant == null) {
            return null;
        }
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        return instant.getNano() % 1_000 >= 500 ? truncated.plus(1, ChronoUnit.MICROS) : truncated;
    }

    /**
     * Inserts events (one already there changes nothing) and inserts or replaces the orders they
     * changed, in {@code eventsTable} and {@code ordersTable}: the rebuild's shadow tables while it
     * catches up, the live tables for {@code projection retry}.
     */
    static void upsert(Connection connection, String eventsTable, String ordersTable, List<EventEnvelope> events,
            Collection<Map.Entry<OrderKey, OrderState>> orders) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + eventsTable + " ("
                + EVENT_COLUMNS + ") VALUES (" + placeholders(11, EVENT_JSON_COLUMN) + ") ON CONFLICT DO NOTHING")) {
            for (EventEnvelope event : events) {
                bind(insert, event(event));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + ordersTable + " ("
                + ORDER_COLUMNS + ") VALUES (" + placeholders(10, ORDER_JSON_COLUMN) + """
                ) ON CONFLICT (tenant_id, order_id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version,
                  customer_id = EXCLUDED.customer_id, currency = EXCLUDED.currency, total_minor = EXCLUDED.total_minor,
                  lines = EXCLUDED.lines, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at""")) {
            for (Map.Entry<OrderKey, OrderState> order : orders) {
                bind(upsert, order(order.getKey(), order.getValue()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** An {@code orders} row (selected with {@link #ORDER_COLUMNS}, {@code lines} as text) as the order's state. */
    static OrderState state(ResultSet row) throws SQLException {
        OrderLine[] lines = Json.read(row.getString("lines").getBytes(StandardCharsets.UTF_8), OrderLine[].class);
        return new OrderState(row.getString("order_id"), OrderStatus.valueOf(row.getString("status")),
                row.getLong("version"), row.getString("customer_id"), row.getString("currency"),
                row.getLong("total_minor"), List.of(lines), row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    /** Binds a row's values to {@code ?} parameters 1…n. */
    static void bind(PreparedStatement statement, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value instanceof Instant instant) {
                statement.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** {@code ?, ?, …} with the JSON column cast to jsonb. */
    static String placeholders(int count, int jsonColumn) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "?" : ", ?").append(i == jsonColumn ? "::jsonb" : "");
        }
        return sql.toString();
    }

    private static String json(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
