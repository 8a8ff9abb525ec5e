package io.orderstream.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProjectionRowsTest {

    @Test
    void copyText_escapesWhatCopyWouldMisread_andWritesNullAsBackslashN() {
        StringBuilder row = new StringBuilder();
        UUID id = UUID.fromString("6c1f0000-0000-0000-0000-000000000001");

        ProjectionRows.appendCopy(row, new Object[] {"acme", 42L, id, null, Instant.parse("2026-11-26T12:02:13.669Z"),
                "{\"reason\":\"said \\\"no\\\"\",\"tab\":\"a\tb\"}\nnext\r"});

        assertThat(row.toString()).isEqualTo("acme\t42\t" + id + "\t\\N\t2026-11-26T12:02:13.669Z\t"
                + "{\"reason\":\"said \\\\\"no\\\\\"\",\"tab\":\"a\\tb\"}\\nnext\\r\n");
    }

    @Test
    void unwritable_findsWhatPostgresCanNeverHold_inAnyTextOfTheEvent_withoutQuotingIt() {
        assertThat(ProjectionRows.unwritable(placed("c-1", "EUR", "sku-1"))).isNull();
        // a JSON text that only looks like an escape is fine: its backslash is escaped
        assertThat(ProjectionRows.unwritable(placed("c-\\u0000", "EUR", "sku-1"))).isNull();
        assertThat(ProjectionRows.unwritable(placed("c-\uD83D\uDE00", "EUR", "sku-1"))).as("a surrogate pair").isNull();

        for (EventEnvelope bad : List.of(placed("c-\u0000", "EUR", "sku-1"), placed("c-1", "E\u0000R", "sku-1"),
                placed("c-1", "EUR", "sku-\u0000"), placed("c-\uD800", "EUR", "sku-1"), placed("c-1", "EUR", "\uDC00x"),
                placed("c-\uDE00\uD83D", "EUR", "sku-1"),
                envelope("6c1f0000-0000-0000-0000-000000000001", new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                        OrderStatus.PROCESSING, "why\u0000")))) {
            assertThat(ProjectionRows.unwritable(bad)).as(bad.toString())
                    .isEqualTo("text with a NUL or a lone surrogate, which PostgreSQL cannot hold");
        }
        assertThat(ProjectionRows.unwritable(envelope("not-a-uuid", new OrderEvent.OrderStatusChanged(OrderStatus.PENDING,
                OrderStatus.PROCESSING, "ok")))).isEqualTo("eventId is not a UUID");
    }

    private static EventEnvelope placed(String customer, String currency, String sku) {
        return envelope("6c1f0000-0000-0000-0000-000000000001", new OrderEvent.OrderPlaced(customer, currency,
                List.of(new OrderLine(sku, 1, 100)), 100));
    }

    private static EventEnvelope envelope(String eventId, OrderEvent event) {
        return new EventEnvelope(SchemaVersions.EVENT, eventId, "acme", "o-1", 1, Instant.parse("2026-11-26T12:00:00Z"),
                "cmd-1", "req-1", "key-1", event);
    }

    @Test
    void placeholders_castTheJsonColumn() {
        assertThat(ProjectionRows.placeholders(3, 1)).isEqualTo("?, ?::jsonb, ?");
    }
}
