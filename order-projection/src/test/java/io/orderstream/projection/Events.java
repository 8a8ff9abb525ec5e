package io.orderstream.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events as the processor writes them, for the tests. */
final class Events {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00.123456789Z");

    private Events() {
    }

    static EventEnvelope placed(String tenant, String order, String currency) {
        return envelope(tenant, order, 1, new OrderEvent.OrderPlaced("cust-" + order, currency,
                List.of(new OrderLine("sku-1", 2, 250), new OrderLine("sku-2", 1, 99)), 599));
    }

    static EventEnvelope changed(String tenant, String order, long sequence, OrderStatus from, OrderStatus to) {
        return envelope(tenant, order, sequence, new OrderEvent.OrderStatusChanged(from, to, "step " + sequence,
                "user@" + tenant));
    }

    static EventEnvelope envelope(String tenant, String order, long sequence, OrderEvent event) {
        return new EventEnvelope(SchemaVersions.EVENT, id(tenant, order, sequence), tenant, order, sequence,
                T0.plusNanos(sequence * 1_000_000_777L), "cmd-" + sequence, "req-" + sequence, "key-" + sequence, event);
    }

    /** As the processor names events: a name-based UUID of tenant/order#sequence. */
    static String id(String tenant, String order, long sequence) {
        return UUID.nameUUIDFromBytes((tenant + "/" + order + "#" + sequence).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static EventEnvelope withId(EventEnvelope e, String eventId) {
        return new EventEnvelope(e.schemaVersion(), eventId, e.tenantId(), e.orderId(), e.sequence(), e.occurredAt(),
                e.causationId(), e.requestId(), e.idempotencyKey(), e.event());
    }
}
