package io.orderstream.processor.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import java.sql.PreparedStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionStatus;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes events into PostgreSQL: each event once into {@code order_events}, and its effect on
 * {@code orders}. An event already there (redelivery, replay) changes nothing. The position in the
 * event log ({@code projector_offsets}) is written in the same transaction as the rows.
 *
 * <p>An event PostgreSQL refuses ({@link WriteErrors#isEventError}) stops at most its own order: the
 * batch is written again event by event, each behind a savepoint, and the event is set aside in
 * {@code projection_set_aside} by its coordinates, with the later events of its order behind it, so
 * that the order never skips a sequence. Every other order of the batch is written.
 */
@Repository
class ProjectionRepository {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRepository.class);
    static final String HELD = "held behind an earlier event of its order";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ProjectionAlarms alarms;

    ProjectionRepository(JdbcTemplate jdbc, TransactionTemplate transaction, ProjectionAlarms alarms) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.alarms = alarms;
    }

    /** An event with where it stands in the log. */
    record Located(String topic, int partition, long offset, EventEnvelope event) {
        String position() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** What a batch did: events applied, events set aside (coordinates and reason, for the log). */
    record Outcome(int applied, List<String> setAside) {
    }

    /**
     * Applies the events in order and records the consumer's new position, all in one transaction;
     * sets aside what cannot be written.
     *
     * @param next per partition, the offset of the next event to project
     */
    Outcome apply(String group, Map<TopicPartition, Long> next, List<Located> events) {
        Outcome outcome;
        try {
            outcome = transaction.execute(status -> write(group, next, events, null));
        } catch (RuntimeException failed) {
            if (!WriteErrors.isEventError(failed)) {
                throw failed; // PostgreSQL down, say: the whole batch is retried until it applies
            }
            // one of these events cannot be written: again, one event at a time behind a savepoint
            outcome = transaction.execute(status -> write(group, next, events, status));
        }
        outcome.setAside().forEach(line -> log.error("event set aside by the projector: {}; "
                + "see `orders-ops projection verify`, then `orders-ops projection retry`", line));
        return outcome;
    }

    private Outcome write(String group, Map<TopicPartition, Long> next, List<Located> events,
            TransactionStatus savepoints) {
        // the position first: `orders-ops projection rebuild` locks projector_offsets and then renames
        // the tables, so a projector must never hold the tables while it waits for that lock
        savePositions(group, next);
        Map<OrderKey, Long> held = heldFrom(events);
        int applied = 0;
        List<String> setAside = new ArrayList<>();
        for (Located located : events) {
            EventEnvelope event = located.event();
            OrderKey key = event.key();
            Long heldFrom = held.get(key);
            if (heldFrom != null && event.sequence() >= heldFrom) {
                setAside(located, null, HELD);
                setAside.add(describe(located, HELD));
                continue;
            }
            Object savepoint = savepoints == null ? null : savepoints.createSavepoint();
            try {
                if (applyOne(event)) {
                    applied++;
                } else {
                    checkSameEvent(located);
                }
                if (savepoint != null) {
                    savepoints.releaseSavepoint(savepoint);
                }
            } catch (RuntimeException error) {
                if (savepoint == null || !WriteErrors.isEventError(error)) {
                    throw error;
                }
                savepoints.rollbackToSavepoint(savepoint);
                setAside(located, WriteErrors.sqlState(error), WriteErrors.errorClass(error));
                setAside.add(describe(located, WriteErrors.describe(error)));
                held.merge(key, event.sequence(), Math::min);
            }
        }
        return new Outcome(applied, setAside);
    }

    /** Per order of these events that has events set aside, the first sequence set aside. */
    private Map<OrderKey, Long> heldFrom(List<Located> events) {
        Map<OrderKey, Long> held = new HashMap<>();
        if (events.isEmpty()) {
            return held;
        }
        Set<OrderKey> keys = new HashSet<>();
        events.forEach(located -> keys.add(located.event().key()));
        String[] tenants = keys.stream().map(OrderKey::tenantId).toArray(String[]::new);
        String[] orders = keys.stream().map(OrderKey::orderId).toArray(String[]::new);
        jdbc.query(connection -> {
            PreparedStatement query = connection.prepareStatement("""
                    SELECT s.tenant_id, s.order_id, min(s.sequence) FROM projection_set_aside s
                      JOIN unnest(?::text[], ?::text[]) AS k(tenant_id, order_id)
                        ON s.tenant_id = k.tenant_id AND s.order_id = k.order_id
                     GROUP BY s.tenant_id, s.order_id""");
            query.setArray(1, connection.createArrayOf("text", tenants));
            query.setArray(2, connection.createArrayOf("text", orders));
            return query;
        }, row -> {
            held.put(new OrderKey(row.getString(1), row.getString(2)), row.getLong(3));
        });
        return held;
    }

    private void setAside(Located located, String sqlState, String errorClass) {
        EventEnvelope event = located.event();
        OrderKey key = event.key();
        jdbc.update("""
                INSERT INTO projection_set_aside (topic, partition, log_offset, tenant_id, order_id, sequence, event_id,
                                                  sql_state, error_class)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (topic, partition, log_offset) DO NOTHING""",
                located.topic(), located.partition(), located.offset(), key.tenantId(), key.orderId(),
                event.sequence(), storable(event.eventId()), sqlState, errorClass);
    }

    /**
     * A redelivered event: the row at its (tenant, order, sequence) must be this very event. Another
     * one there means PostgreSQL holds another history than the log (restored from another
     * deployment's backup, a log recreated): reported, never overwritten.
     */
    private void checkSameEvent(Located located) {
        EventEnvelope e = located.event();
        List<String> stored = jdbc.queryForList("SELECT event_id::text FROM order_events "
                + "WHERE tenant_id = ? AND order_id = ? AND sequence = ?", String.class, e.tenantId(), e.orderId(),
                e.sequence());
        if (!stored.isEmpty() && !stored.get(0).equalsIgnoreCase(e.eventId())) {
            alarms.differentEvent(located.position() + " " + e.tenantId() + "/" + e.orderId() + "#" + e.sequence());
        }
    }

    private static String describe(Located located, String reason) {
        EventEnvelope e = located.event();
        return "tenant " + e.tenantId() + ", order " + e.orderId() + ", sequence " + e.sequence()
                + ", at " + located.position() + ": " + reason;
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

    /** How many events are set aside now, by any projector of this database. */
    long setAsideCount() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM projection_set_aside", Long.class);
        return count == null ? 0 : count;
    }

    /** The stored positions of a consumer group: per partition, the offset of the next event to project. */
    Map<TopicPartition, Long> positions(String group, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        jdbc.query("SELECT topic, partition, next_offset FROM projector_offsets WHERE consumer_group = ?",
                row -> {
                    TopicPartition partition = new TopicPartition(row.getString("topic"), row.getInt("partition"));
                    if (partitions.contains(partition)) {
                        positions.put(partition, row.getLong("next_offset"));
                    }
                }, group);
        return positions;
    }

    private void savePositions(String group, Map<TopicPartition, Long> next) {
        List<Object[]> rows = new ArrayList<>(next.size());
        // in one order, so that two projectors sharing a partition during a rebalance cannot deadlock
        next.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> entry) -> entry.getKey().topic())
                        .thenComparingInt(entry -> entry.getKey().partition()))
                .forEach(entry -> rows.add(new Object[] {group, entry.getKey().topic(), entry.getKey().partition(),
                        entry.getValue()}));
        jdbc.batchUpdate("""
                INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset, updated_at)
                VALUES (?, ?, ?, ?, now())
                ON CONFLICT (consumer_group, topic, partition)
                DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = EXCLUDED.updated_at""", rows);
    }

    private boolean applyOne(EventEnvelope e) {
        UUID eventId;
        try {
            eventId = UUID.fromString(e.eventId());
        } catch (IllegalArgumentException notUuid) {
            throw new WriteErrors.EventNotWritable("eventId is not a UUID", notUuid);
        }
        int inserted = jdbc.update("""
                INSERT INTO order_events (tenant_id, order_id, sequence, event_id, event_type, schema_version,
                                          occurred_at, causation_id, request_id, idempotency_key, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (tenant_id, order_id, sequence) DO NOTHING""",
                e.tenantId(), e.orderId(), e.sequence(), eventId, e.event().typeName(),
                e.schemaVersion(), at(e.occurredAt()), e.causationId(), e.requestId(), e.idempotencyKey(),
                json(e.event()));
        if (inserted == 0) {
            return false;
        }
        if (e.event() instanceof OrderEvent.OrderPlaced placed) {
            jdbc.update("""
                    INSERT INTO orders (tenant_id, order_id, status, version, customer_id, currency, total_minor,
                                        lines, created_at, updated_at)
                    VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?::jsonb, ?, ?)""",
                    e.tenantId(), e.orderId(), e.sequence(), placed.customerId(), placed.currency(),
                    placed.totalMinor(), json(placed.lines()), at(e.occurredAt()), at(e.occurredAt()));
        } else if (e.event() instanceof OrderEvent.OrderStatusChanged changed) {
            int updated = jdbc.update("""
                    UPDATE orders SET status = ?, version = ?, updated_at = ?
                     WHERE tenant_id = ? AND order_id = ? AND version = ? AND status = ?""",
                    changed.to().name(), e.sequence(), at(e.occurredAt()), e.tenantId(), e.orderId(),
                    e.sequence() - 1, changed.from().name());
            if (updated != 1) {
                throw new WriteErrors.EventNotWritable("the order is not at version " + (e.sequence() - 1) + " in status "
                        + changed.from(), null);
            }
        }
        return true;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String json(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
