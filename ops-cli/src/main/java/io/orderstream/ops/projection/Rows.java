package io.orderstream.ops.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
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
