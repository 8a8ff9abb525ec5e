package io.orderstream.api.orders;

import io.orderstream.events.Json;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads orders from the PostgreSQL projection, always within one tenant. */
@Repository
class OrderQueries {

    private final JdbcTemplate jdbc;

    OrderQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<OrderState> find(String tenantId, String orderId) {
        return jdbc.query("""
                SELECT order_id, status, version, customer_id, currency, total_minor, lines::text AS lines,
                       created_at, updated_at
                  FROM orders WHERE tenant_id = ? AND order_id = ?""", OrderQueries::order, tenantId, orderId)
                .stream().findFirst();
    }

    private static OrderState order(ResultSet row, int rowNumber) throws SQLException {
        List<OrderLine> lines = Arrays.asList(Json.read(row.getString("lines").getBytes(StandardCharsets.UTF_8),
                OrderLine[].class));
        return new OrderState(row.getString("order_id"), OrderStatus.valueOf(row.getString("status")),
                row.getLong("version"), row.getString("customer_id"), row.getString("currency"),
                row.getLong("total_minor"), lines, row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
