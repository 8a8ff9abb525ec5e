package io.orderstream.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * The one writer of the projection: folds a batch of events ({@link ProjectionFold}) onto the
 * orders as PostgreSQL holds them and writes the result, with the consumer's new positions, in one
 * transaction. Set-based: whatever the batch's size, one statement stores the positions, one reads
 * the orders' states, one inserts the new events' rows, one inserts the new orders and one updates
 * the changed ones. A redelivered or replayed event changes nothing (idempotent by tenant, order and
 * sequence); it is only checked to be the very event the table holds there.
 *
 * <p>An event that cannot follow its order is set aside at once, with the later events of its order
 * behind it. An event PostgreSQL refuses ({@link WriteErrors#isEventError}: SQLState class 22 or 23)
 * fails the batch's statements; the batch is then written again event by event, each behind a
 * savepoint, so that the refused event is set aside by its coordinates and every other order of the
 * batch is written. Any other failure (PostgreSQL down, say) is thrown, with nothing written: the
 * caller retries the batch until it applies.
 */
public final class ProjectionWriter {

    /** An event with where it stands in the log. */
    public record Located(String topic, int partition, long offset, EventEnvelope event) {
        public String position() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /**
     * What a batch did.
     *
     * @param applied         events written
     * @param duplicates      events already there
     * @param setAside        events set aside: coordinates and reason, for the log (no content)
     * @param differentEvents copies whose (tenant, order, sequence) holds another event in PostgreSQL
     *                        (a database restored from another deployment, a log recreated): reported,
     *                        never overwritten
     * @param batched         whether the batch was written with its set-based statements (else event by
     *                        event, to find what PostgreSQL refused)
     */
    public record Outcome(int applied, int duplicates, List<String> setAside, List<String> differentEvents,
            boolean batched) {
    }

    private final ProjectionTables tables;

    public ProjectionWriter() {
        this(ProjectionTables.LIVE);
    }

    ProjectionWriter(ProjectionTables tables) {
        this.tables = tables;
    }

    /**
     * Applies the events in order and stores the consumer's new positions, all in one transaction of
     * {@code connection} (committed here; auto-commit is restored as it was).
     *
     * @param next per partition, the offset of the next event to project
     * @throws SQLException when PostgreSQL fails otherwise than by refusing an event: nothing is written
     */
    public Outcome apply(Connection connection, String group, Map<TopicPartition, Long> next, List<Located> events)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        Outcome outcome;
        try {
            try {
                outcome = write(connection, group, next, events, true);
                connection.commit();
            } catch (SQLException | WriteErrors.EventNotWritable failed) {
                connection.rollback();
                if (!WriteErrors.isEventError(failed)) {
                    throw failed;
                }
                // one of these events cannot be written: again, one event at a time behind a savepoint
                outcome = write(connection, group, next, events, false);
                connection.commit();
            }
        } catch (SQLException | RuntimeException failed) {
            try {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            } catch (SQLException alsoFailed) {
                failed.addSuppressed(alsoFailed); // a connection gone: the failure says why, not the clean-up
            }
            throw failed;
        }
        connection.setAutoCommit(autoCommit);
        return outcome;
    }

    private Outcome write(Connection connection, String group, Map<TopicPartition, Long> next, List<Located> events,
            boolean batched) throws SQLException {
        // the positions first: `orders-ops projection rebuild` locks projector_offsets and then renames
        // the tables, so a projector must never hold the tables while it waits for that lock
        ProjectorOffsets.save(connection, group, next);
        Set<OrderKey> keys = new LinkedHashSet<>();
        events.forEach(located -> keys.add(located.event().key()));
        ProjectionFold fold = new ProjectionFold(tables.states(connection, keys), SetAside.heldFrom(connection, keys));

        int applied = 0;
        List<Located> duplicates = new ArrayList<>();
        List<SetAside.Entry> setAside = new ArrayList<>();
        List<String> setAsideLines = new ArrayList<>();
        List<EventEnvelope> newEvents = new ArrayList<>();
        Map<OrderKey, ProjectionTables.Change> changes = new LinkedHashMap<>();
        for (Located located : events) {
            EventEnvelope event = located.event();
            ProjectionFold.Step step = fold.apply(event);
            if (step instanceof ProjectionFold.Duplicate) {
                duplicates.add(located);
            } else if (step instanceof ProjectionFold.Held) {
                setAside.add(entry(located, null, SetAside.HELD));
                setAsideLines.add(describe(located, SetAside.HELD));
            } else if (step instanceof ProjectionFold.Refused refused) {
                fold.hold(event.key(), event.sequence());
                setAside.add(entry(located, null, refused.reason()));
                setAsideLines.add(describe(located, refused.reason()));
            } else if (step instanceof ProjectionFold.Applied change) {
                ProjectionTables.Change write = new ProjectionTables.Change(change.key(), change.before(),
                        change.after());
                if (batched) {
                    newEvents.add(event);
                    // one row per order: from where the batch found it to where its last event leaves it
                    changes.merge(change.key(), write, (first, later) -> new ProjectionTables.Change(first.key(),
                            first.before(), later.after(), first.linesChanged() || later.linesChanged()));
                    applied++;
                } else if (writeOne(connection, event, write, located, setAside, setAsideLines)) {
                    applied++;
                } else {
                    fold.hold(change.key(), event.sequence(), change.before());
                }
            }
        }
        if (batched) {
            tables.insertEvents(connection, newEvents);
            tables.writeOrders(connection, changes.values());
        }
        SetAside.add(connection, setAside);
        return new Outcome(applied, duplicates.size(), setAsideLines, differentEvents(connection, duplicates), batched);
    }

    /** Writes one event behind a savepoint; sets it aside if PostgreSQL refuses it. */
    private boolean writeOne(Connection connection, EventEnvelope event, ProjectionTables.Change change,
            Located located, List<SetAside.Entry> setAside, List<String> lines) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            tables.insertEvents(connection, List.of(event));
            tables.writeOrders(connection, List.of(change));
            connection.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException | WriteErrors.EventNotWritable error) {
            if (!WriteErrors.isEventError(error)) {
                throw error;
            }
            connection.rollback(savepoint);
            setAside.add(entry(located, WriteErrors.sqlState(error), WriteErrors.errorClass(error)));
            lines.add(describe(located, WriteErrors.describe(error)));
            return false;
        }
    }

    /** Copies whose place in PostgreSQL holds another event. */
    private List<String> differentEvents(Connection connection, List<Located> duplicates) throws SQLException {
        List<String> different = new ArrayList<>();
        if (duplicates.isEmpty()) {
            return different;
        }
        Map<EventEnvelope, UUID> stored = tables.storedIds(connection,
                duplicates.stream().map(Located::event).toList());
        for (Located located : duplicates) {
            EventEnvelope e = located.event();
            UUID id = stored.get(e);
            if (id != null && !id.toString().equalsIgnoreCase(e.eventId())) {
                different.add(located.position() + " " + e.tenantId() + "/" + e.orderId() + "#" + e.sequence());
            }
        }
        return different;
    }

    private static SetAside.Entry entry(Located located, String sqlState, String errorClass) {
        return SetAside.of(located.topic(), located.partition(), located.offset(), located.event(), sqlState,
                errorClass);
    }

    private static String describe(Located located, String reason) {
        EventEnvelope e = located.event();
        return "tenant " + e.tenantId() + ", order " + e.orderId() + ", sequence " + e.sequence()
                + ", at " + located.position() + ": " + reason;
    }
}
