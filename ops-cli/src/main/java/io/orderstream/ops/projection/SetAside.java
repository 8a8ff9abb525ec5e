package io.orderstream.ops.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the projector set aside ({@code projection_set_aside}, migration V4 of order-processor):
 * coordinates and the kind of error, never the event's content, which stays in the log.
 */
final class SetAside {

    static final String TABLE = "projection_set_aside";

    /** One event set aside: where it is in the log, whose it is, and why. */
    record Entry(String topic, int partition, long offset, String tenantId, String orderId, long sequence,
            String eventId, String sqlState, String errorClass) {

        String position() {
            return topic + "-" + partition + "@" + offset;
        }

        String describe() {
            return tenantId + "/" + orderId + "#" + sequence + " at " + position() + " (event " + eventId + "): "
                    + (sqlState == null ? errorClass : "SQLState " + sqlState + ", " + errorClass);
        }
    }

    private SetAside() {
    }

    /**
     * In order of tenant, order and sequence; none when the table does not exist (a schema older than
     * the projector's V4).
     *
     * @param tenant only this tenant's, or {@code null}
     * @param order  only this order's, or {@code null}
     */
    static List<Entry> read(Connection connection, String tenant, String order) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, TABLE);
            try (ResultSet row = exists.executeQuery()) {
                if (!row.next() || !row.getBoolean(1)) {
                    return entries;
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT topic, partition, log_offset, tenant_id, "
                + "order_id, sequence, event_id, sql_state, error_class FROM " + TABLE
                + " WHERE (?::text IS NULL OR tenant_id = ?) AND (?::text IS NULL OR order_id = ?)"
                + " ORDER BY tenant_id, order_id, sequence, partition, log_offset")) {
            query.setString(1, tenant);
            query.setString(2, tenant);
            query.setString(3, order);
            query.setString(4, order);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    entries.add(new Entry(row.getString(1), row.getInt(2), row.getLong(3), row.getString(4),
                            row.getString(5), row.getLong(6), row.getString(7), row.getString(8), row.getString(9)));
                }
            }
        }
        return entries;
    }

    /** The positions ({@code topic-partition@offset}) of these entries. */
    static java.util.Set<String> positions(List<Entry> entries) {
        java.util.Set<String> positions = new java.util.HashSet<>();
        entries.forEach(entry -> positions.add(entry.position()));
        return positions;
    }
}
