package io.orderstream.processor.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes events into PostgreSQL: each event once into {@code order_events}, and its effect on
 * {@code orders}. An event already there (redelivery, replay) changes nothing.
 */
@Repository
class ProjectionRepository {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    ProjectionRepository(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** Applies the events in order, all in one transaction; returns how many were new. */
    int apply(List<EventEnvelope> events) {
        Integer applied = transaction.execute(status -> {
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
