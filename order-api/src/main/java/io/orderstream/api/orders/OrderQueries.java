package io.orderstream.api.orders;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads the PostgreSQL projection, always within one tenant: every statement's first condition
 * is {@code tenant_id = ?}.
 */
@Repository
class OrderQueries {

    private static final String ORDER_COLUMNS = """
            SELECT order_id, status, version, customer_id, currency, total_minor, lines::text AS lines,
                   created_at, updated_at
              FROM orders
             WHERE tenant_id = ?""";

    private final JdbcTemplate jdbc;

    OrderQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<OrderState> find(String tenantId, String orderId) {
        return jdbc.query(ORDER_COLUMNS + " AND order_id = ?", OrderQueries::order, tenantId, orderId)
                .stream().findFirst();
    }

    /**
     * A page of the tenant's orders, newest first ({@code created_at DESC, order_id}), by keyset:
     * it starts strictly after {@code query.after()}, so inserts never repeat or skip an order.
     */
    OrderPage page(String tenantId, OrderListQuery query) {
        StringBuilder sql = new StringBuilder(ORDER_COLUMNS);
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.after() != null) {
            OffsetDateTime at = utc(query.after().createdAt());
            sql.append(" AND (created_at < ? OR (created_at = ? AND order_id > ?))");
            args.addAll(List.of(at, at, query.after().orderId()));
        }
        sql.append(" ORDER BY created_at DESC, order_id LIMIT ?");
        args.add(query.limit() + 1); // one more tells whether there is a next page
        List<OrderState> orders = jdbc.query(sql.toString(), OrderQueries::order, args.toArray());
        if (orders.size() <= query.limit()) {
            return new OrderPage(orders, null);
        }
        List<OrderState> page = orders.subList(0, query.limit());
        return new OrderPage(List.copyOf(page), PageCursor.after(page.get(page.size() - 1)).encode());
    }

    /** The order's events in sequence order; empty when the tenant has no such order. */
    List<EventEnvelope> events(String tenantId, String orderId) {
        return jdbc.query("""
                SELECT schema_version, event_id, tenant_id, order_id, sequence, occurred_at, causation_id,
                       request_id, idempotency_key, payload::text AS payload
                  FROM order_events
                 WHERE tenant_id = ? AND order_id = ?
                 ORDER BY sequence""", OrderQueries::event, tenantId, orderId);
    }

    private static OrderState order(ResultSet row, int rowNumber) throws SQLException {
        List<OrderLine> lines = Arrays.asList(Json.read(utf8(row.getString("lines")), OrderLine[].class));
        return new OrderState(row.getString("order_id"), OrderStatus.valueOf(row.getString("status")),
                row.getLong("version"), row.getString("customer_id"), row.getString("currency"),
                row.getLong("total_minor"), lines, instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static EventEnvelope event(ResultSet row, int rowNumber) throws SQLException {
        return new EventEnvelope(row.getInt("schema_version"), row.getString("event_id"), row.getString("tenant_id"),
                row.getString("order_id"), row.getLong("sequence"), instant(row, "occurred_at"),
                row.getString("causation_id"), row.getString("request_id"), row.getString("idempotency_key"),
                Json.read(utf8(row.getString("payload")), OrderEvent.class));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
