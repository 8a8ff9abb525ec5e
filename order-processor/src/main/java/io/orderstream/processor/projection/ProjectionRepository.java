package io.orderstream.processor.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes events into PostgreSQL: each event once into {@code order_events}, and its effect on
 * {@code orders}. An event already there (redelivery, replay) changes nothing. The position in the
 * event log ({@code projector_offsets}) is written in the same transaction as the rows.
 */
@Repository
class ProjectionRepository {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    ProjectionRepository(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /**
     * Applies the events in order and records the consumer's new position, all in one transaction;
     * returns how many events were new.
     *
     * @param next per partition, the offset of the next event to project
     */
    int apply(String group, Map<TopicPartition, Long> next, List<EventEnvelope> events) {
        Integer applied = transaction.execute(status -> {
            // the position first: `orders-ops projection rebuild` locks projector_offsets and then renames
            // the tables, so a projector must never hold the tables while it waits for that lock
            savePositions(group, next);
            int count = 0;
            for (EventEnvelope event : events) {
                if (applyOne(event)) {
                    count++;
                }
            }
            return count;
        });
        return applied == null ? 0 : applied;
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
        int inserted = jdbc.update("""
                INSERT INTO order_events (tenant_id, order_id, sequence, event_id, event_type, schema_version,
                                          occurred_at, causation_id, request_id, idempotency_key, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (tenant_id, order_id, sequence) DO NOTHING""",
                e.tenantId(), e.orderId(), e.sequence(), UUID.fromString(e.eventId()), e.event().typeName(),
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
                throw new IllegalStateException("projection of " + e.key() + " is not at version " + (e.sequence() - 1)
                        + " in status " + changed.from() + "; event " + e.sequence() + " cannot apply");
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
