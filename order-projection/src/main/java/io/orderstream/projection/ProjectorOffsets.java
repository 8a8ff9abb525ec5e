package io.orderstream.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The projector's positions in the event log ({@code projector_offsets}, V2): per consumer group and
 * partition, the offset of the next event to project, written in the same transaction as the rows.
 */
public final class ProjectorOffsets {

    private ProjectorOffsets() {
    }

    /** A group's stored positions (all partitions of all topics it has). */
    public static Map<TopicPartition, Long> read(Connection connection, String group) throws SQLException {
        Map<TopicPartition, Long> positions = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT topic, partition, next_offset FROM " + ProjectionSchema.OFFSETS + " WHERE consumer_group = ?")) {
            query.setString(1, group);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    positions.put(new TopicPartition(row.getString(1), row.getInt(2)), row.getLong(3));
                }
            }
        }
        return positions;
    }

    /** A group's stored positions in one topic. */
    public static Map<TopicPartition, Long> read(Connection connection, String group, String topic)
            throws SQLException {
        Map<TopicPartition, Long> positions = read(connection, group);
        positions.keySet().removeIf(partition -> !partition.topic().equals(topic));
        return positions;
    }

    /**
     * Stores positions, in one statement, partitions in one order: two projectors sharing a
     * partition during a rebalance take its row's lock in the same order, never deadlock, and the
     * later one waits for the earlier one's transaction, so that they never write one order at once.
     */
    static void save(Connection connection, String group, Map<TopicPartition, Long> next) throws SQLException {
        if (next.isEmpty()) {
            return;
        }
        List<Map.Entry<TopicPartition, Long>> sorted = next.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> entry) -> entry.getKey().topic())
                        .thenComparingInt(entry -> entry.getKey().partition()))
                .toList();
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + ProjectionSchema.OFFSETS
                + " (consumer_group, topic, partition, next_offset, updated_at)"
                + " SELECT ?, t, p, n, now() FROM unnest(?::text[], ?::int[], ?::bigint[]) WITH ORDINALITY AS x(t, p, n, i)"
                + " ORDER BY i"
                + " ON CONFLICT (consumer_group, topic, partition)"
                + " DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = EXCLUDED.updated_at")) {
            upsert.setString(1, group);
            upsert.setArray(2, connection.createArrayOf("text",
                    sorted.stream().map(entry -> entry.getKey().topic()).toArray(String[]::new)));
            upsert.setArray(3, connection.createArrayOf("int4",
                    sorted.stream().map(entry -> entry.getKey().partition()).toArray(Integer[]::new)));
            upsert.setArray(4, connection.createArrayOf("int8",
                    sorted.stream().map(Map.Entry::getValue).toArray(Long[]::new)));
            upsert.executeUpdate();
        }
    }

    /**
     * Stops every projector from committing a batch until this transaction ends; reads go on. The
     * projector writes its positions first in each transaction, so it waits here holding nothing.
     */
    public static void lock(Connection connection, Duration timeout) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + timeout.toMillis() + "ms'");
            statement.execute("LOCK TABLE " + ProjectionSchema.OFFSETS + " IN EXCLUSIVE MODE");
        }
    }
}
