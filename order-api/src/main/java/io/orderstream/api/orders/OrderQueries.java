package io.orderstream.api.orders;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderState;
import io.orderstream.projection.ProjectionRows;
import io.orderstream.projection.ProjectionSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads the PostgreSQL projection, always within one tenant: every statement's first condition
 * is {@code tenant_id = ?}. Columns and row mapping are the projection's own ({@link ProjectionRows}).
 */
@Repository
class OrderQueries {

    private static final String ORDER_COLUMNS = "SELECT " + ProjectionRows.SELECT_ORDER + " FROM "
            + ProjectionSchema.ORDERS + " WHERE tenant_id = ?";

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
            OffsetDateTime at = ProjectionRows.timestamp(query.after().createdAt());
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
        return jdbc.query("SELECT " + ProjectionRows.SELECT_EVENT + " FROM " + ProjectionSchema.EVENTS
                + " WHERE tenant_id = ? AND order_id = ? ORDER BY sequence", OrderQueries::event, tenantId, orderId);
    }

    private static OrderState order(ResultSet row, int rowNumber) throws SQLException {
        return ProjectionRows.state(row);
    }

    private static EventEnvelope event(ResultSet row, int rowNumber) throws SQLException {
        return ProjectionRows.recorded(row);
    }
}
