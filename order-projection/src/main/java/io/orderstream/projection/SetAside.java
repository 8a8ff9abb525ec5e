package io.orderstream.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events the projector set aside ({@code projection_set_aside}, migration V4): coordinates and
 * the kind of error, never the event's content, which stays in the log. Written by the projector
 * ({@link ProjectionWriter}), listed by {@code projection verify}, emptied by {@code projection retry}.
 */
public final class SetAside {

    public static final String TABLE = ProjectionSchema.SET_ASIDE;
    /** The error class of an event held behind an earlier one of its order. */
    public static final String HELD = "held behind an earlier event of its order";

    /** One event set aside: where it is in the log, whose it is, and why. */
    public record Entry(String topic, int partition, long offset, String tenantId, String orderId, long sequence,
            String eventId, String sqlState, String errorClass) {

        public String position() {
            return topic + "-" + partition + "@" + offset;
        }

        public String describe() {
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
    public static List<Entry> read(Connection connection, String tenant, String order) throws SQLException {
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
    public static Set<String> positions(List<Entry> entries) {
        Set<String> positions = new HashSet<>();
        entries.forEach(entry -> positions.add(entry.position()));
        return positions;
    }

    /** Forgets an entry: its event was applied. */
    public static void forget(Connection connection, Entry entry) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE
                + " WHERE topic = ? AND partition = ? AND log_offset = ?")) {
            delete.setString(1, entry.topic());
            delete.setInt(2, entry.partition());
            delete.setLong(3, entry.offset());
            delete.executeUpdate();
        }
    }

    /** How many events are set aside, by any projector of this database. */
    public static long count(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM " + TABLE);
                ResultSet row = query.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    /** Per order of these that has events set aside, the first sequence set aside. */
    static Map<OrderKey, Long> heldFrom(Connection connection, Collection<OrderKey> keys) throws SQLException {
        Map<OrderKey, Long> held = new HashMap<>();
        if (keys.isEmpty()) {
            return held;
        }
        // one probe of projection_set_aside_order per key, never a scan (see ProjectionTables)
        try (PreparedStatement query = connection.prepareStatement("SELECT k.t, k.o, s.first"
                + " FROM unnest(?::text[], ?::text[]) AS k(t, o) CROSS JOIN LATERAL (SELECT min(sequence) AS first"
                + " FROM " + TABLE + " WHERE tenant_id = k.t AND order_id = k.o) AS s WHERE s.first IS NOT NULL")) {
            query.setArray(1, connection.createArrayOf("text", keys.stream().map(OrderKey::tenantId).toArray()));
            query.setArray(2, connection.createArrayOf("text", keys.stream().map(OrderKey::orderId).toArray()));
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    held.put(new OrderKey(row.getString(1), row.getString(2)), row.getLong(3));
                }
            }
        }
        return held;
    }

    /** Sets events aside (one already there by its coordinates stays as it is). */
    static void add(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                + " (topic, partition, log_offset, tenant_id, order_id, sequence, event_id, sql_state, error_class)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (topic, partition, log_offset) DO NOTHING")) {
            for (Entry entry : entries) {
                insert.setString(1, entry.topic());
                insert.setInt(2, entry.partition());
                insert.setLong(3, entry.offset());
                insert.setString(4, entry.tenantId());
                insert.setString(5, entry.orderId());
                insert.setLong(6, entry.sequence());
                insert.setString(7, storable(entry.eventId()));
                insert.setString(8, entry.sqlState());
                insert.setString(9, entry.errorClass());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The entry for an event at this place in the log. */
    static Entry of(String topic, int partition, long offset, EventEnvelope event, String sqlState,
            String errorClass) {
        return new Entry(topic, partition, offset, event.tenantId(), event.orderId(), event.sequence(),
                storable(event.eventId()), sqlState, errorClass);
    }

    /**
     * An event id as PostgreSQL can hold it (the envelope does not constrain it, tenant and order ids
     * it does): NUL and lone surrogates, which text refuses, become U+FFFD.
     */
    static String storable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == 0 || (Character.isSurrogate(c) && !pair);
            if (bad && out == null) {
                out = new StringBuilder(text.substring(0, i));
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
                if (pair) {
                    out.append(text.charAt(++i));
                }
            } else if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }
}
