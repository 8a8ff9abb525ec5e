package io.orderstream.processor.projection;

import io.orderstream.projection.ProjectionWriter;
import io.orderstream.projection.ProjectorOffsets;
import io.orderstream.projection.SetAside;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.stereotype.Repository;

/**
 * The projector's access to PostgreSQL: each poll's events through the projection's one writer
 * ({@link ProjectionWriter}: set-based statements, positions in the same transaction, set-aside of
 * what PostgreSQL refuses), on a connection of the pool; what it reports goes to the log and the
 * alarms.
 */
@Repository
class ProjectionRepository {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRepository.class);

    private final DataSource dataSource;
    private final ProjectionWriter writer = new ProjectionWriter();
    private final ProjectionAlarms alarms;

    ProjectionRepository(DataSource dataSource, ProjectionAlarms alarms) {
        this.dataSource = dataSource;
        this.alarms = alarms;
    }

    /**
     * Applies the events in order and records the consumer's new position, all in one transaction;
     * sets aside what cannot be written.
     *
     * @param next per partition, the offset of the next event to project
     * @throws UncategorizedSQLException when PostgreSQL fails otherwise (down, say): nothing is written,
     *                                   and the batch is retried
     */
    ProjectionWriter.Outcome apply(String group, Map<TopicPartition, Long> next, List<ProjectionWriter.Located> events) {
        ProjectionWriter.Outcome outcome;
        try (Connection connection = dataSource.getConnection()) {
            outcome = writer.apply(connection, group, next, events);
        } catch (SQLException failed) {
            throw new UncategorizedSQLException("projecting " + events.size() + " events", null, failed);
        }
        outcome.setAside().forEach(line -> log.error("event set aside by the projector: {}; "
                + "see `orders-ops projection verify`, then `orders-ops projection retry`", line));
        outcome.differentEvents().forEach(alarms::differentEvent);
        return outcome;
    }

    /** How many events are set aside now, by any projector of this database. */
    long setAsideCount() {
        return read(SetAside::count);
    }

    /** The stored positions of a consumer group: per partition, the offset of the next event to project. */
    Map<TopicPartition, Long> positions(String group, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = read(connection -> ProjectorOffsets.read(connection, group));
        positions.keySet().retainAll(partitions);
        return positions;
    }

    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(Query<T> query) {
        try (Connection connection = dataSource.getConnection()) {
            return query.run(connection);
        } catch (SQLException failed) {
            throw new UncategorizedSQLException("reading the projection", null, failed);
        }
    }
}
