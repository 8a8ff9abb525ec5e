package io.orderstream.ops.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The live projector's positions in the event log, as it stores them with its rows
 * ({@code projector_offsets}, migration V2): per partition, the offset of the next event to project.
 */
final class ProjectorPositions {

    static final String TABLE = "projector_offsets";

    private ProjectorPositions() {
    }

    static Map<TopicPartition, Long> read(Connection connection, String group, String topic) throws SQLException {
        Map<TopicPartition, Long> positions = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT partition, next_offset FROM " + TABLE + " WHERE consumer_group = ? AND topic = ?")) {
            query.setString(1, group);
            query.setString(2, topic);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    positions.put(new TopicPartition(topic, row.getInt(1)), row.getLong(2));
                }
            }
        }
        return positions;
    }

    /**
     * Stops the projector from committing a batch until this transaction ends; reads go on. The
     * projector writes its position first in each transaction, so it waits here holding nothing.
     */
    static void lock(Connection connection, Duration timeout) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + timeout.toMillis() + "ms'");
            statement.execute("LOCK TABLE " + TABLE + " IN EXCLUSIVE MODE");
        }
    }
}
