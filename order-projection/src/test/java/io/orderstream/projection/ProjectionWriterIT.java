package io.orderstream.projection;

import static io.orderstream.projection.Events.changed;
import static io.orderstream.projection.Events.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The projection's one writer on a real PostgreSQL, its schema made by the migrations of this module. */
class ProjectionWriterIT {

    private static final String TOPIC = "orders.events.v1";
    private static final String GROUP = "order-projector";
    private static EmbeddedPostgres postgres;
    private static String url;

    private final ProjectionWriter writer = new ProjectionWriter();
    private final Map<Integer, Long> offsets = new HashMap<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        url = postgres.getJdbcUrl("postgres", "postgres");
        Flyway.configure().dataSource(url, "postgres", "postgres").locations(ProjectionSchema.MIGRATIONS).load()
                .migrate();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE orders, order_events, projector_offsets, projection_set_aside");
        }
    }

    @Test
    void migrations_areThoseEveryDeployedDatabaseHasRun_checksumForChecksum() throws SQLException {
        // the checksums Flyway recorded for V1–V5 when order-processor owned these files: a database
        // migrated by any earlier build validates against this module's migrations
        Map<String, Integer> recorded = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT version, checksum FROM flyway_schema_history "
                        + "WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (row.next()) {
                recorded.put(row.getString(1), row.getInt(2));
            }
        }
        assertThat(recorded).containsExactlyEntriesOf(new TreeMap<>(EXPECTED_CHECKSUMS));
        Flyway.configure().dataSource(url, "postgres", "postgres").locations(ProjectionSchema.MIGRATIONS).load()
                .validate();
    }

    /**
     * As every database migrated before the move recorded them (the files moved from order-processor's
     * db/migration byte for byte): a changed byte here is a database that no longer starts.
     */
    private static final Map<String, Integer> EXPECTED_CHECKSUMS = Map.of("1", 157203194, "2", -317755793,
            "3", 1773921808, "4", -1526036158, "5", -512617923);

    @Test
    void aBatch_isWrittenSetBased_rowsEqualTheFoldOfTheEvents_andTheRowMappingRoundTrips() throws SQLException {
        List<EventEnvelope> log = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String order = "o-" + i;
            String tenant = i % 2 == 0 ? "acme" : "globex";
            log.add(placed(tenant, order, "EUR"));
            log.add(changed(tenant, order, 2, OrderStatus.PENDING, OrderStatus.PROCESSING));
            if (i % 3 == 0) {
                log.add(changed(tenant, order, 3, OrderStatus.PROCESSING, OrderStatus.CANCELED));
            }
        }
        ProjectionWriter.Outcome outcome = apply(0, log);

        assertThat(outcome.batched()).isTrue();
        assertThat(outcome.applied()).isEqualTo(log.size());
        assertThat(outcome.setAside()).isEmpty();
        assertThat(orders()).isEqualTo(expected(log));
        assertThat(events()).containsExactlyInAnyOrderElementsOf(log.stream().map(ProjectionWriterIT::stored).toList());
        assertThat(positions()).containsEntry(new TopicPartition(TOPIC, 0), (long) log.size());
    }

    @Test
    void redeliveredAndReplayedEvents_changeNothing_whetherWholeBatches_overlapping_orWithinOneBatch()
            throws SQLException {
        List<EventEnvelope> log = List.of(placed("acme", "o-1", "EUR"),
                changed("acme", "o-1", 2, OrderStatus.PENDING, OrderStatus.PROCESSING),
                placed("acme", "o-2", "USD"),
                changed("acme", "o-1", 3, OrderStatus.PROCESSING, OrderStatus.SHIPPED));
        apply(0, log.subList(0, 3));
        Map<OrderKey, OrderState> afterFirst = orders();
        List<EventEnvelope> storedFirst = events();

        ProjectionWriter.Outcome again = apply(0, log.subList(0, 3));
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(3);
        assertThat(again.differentEvents()).isEmpty();
        assertThat(orders()).isEqualTo(afterFirst);
        assertThat(events()).containsExactlyInAnyOrderElementsOf(storedFirst);

        // a redelivery overlapping new events, and a copy inside the batch itself
        List<EventEnvelope> overlapping = List.of(log.get(1), log.get(2), log.get(3), log.get(3), log.get(0));
        ProjectionWriter.Outcome overlap = apply(0, overlapping);
        assertThat(overlap.applied()).isEqualTo(1);
        assertThat(overlap.duplicates()).isEqualTo(4);
        assertThat(orders()).isEqualTo(expected(log));
        assertThat(events()).hasSize(4);
    }

    @Test
    void aCopyWhoseSequenceHoldsAnotherEvent_isReported_neverOverwritten() throws SQLException {
        EventEnvelope placed = placed("acme", "o-1", "EUR");
        apply(0, List.of(placed));
        EventEnvelope other = Events.withId(placed, Events.id("elsewhere", "o-1", 1));

        ProjectionWriter.Outcome outcome = apply(0, List.of(other));

        assertThat(outcome.differentEvents()).containsExactly(TOPIC + "-0@1 acme/o-1#1");
        assertThat(events()).containsExactly(stored(placed));
    }

    @Test
    void anEventPostgresRefusesInABatch_isSetAsideWithTheLaterEventsOfItsOrder_andEveryOtherOrderIsWritten()
            throws SQLException {
        // a currency of four letters does not fit orders.currency char(3): value too long (22001)
        List<EventEnvelope> batch = List.of(placed("acme", "good-1", "EUR"),
                placed("acme", "bad", "EURO"),
                changed("acme", "good-1", 2, OrderStatus.PENDING, OrderStatus.PROCESSING),
                changed("acme", "bad", 2, OrderStatus.PENDING, OrderStatus.PROCESSING),
                placed("globex", "good-2", "EUR"));

        ProjectionWriter.Outcome outcome = apply(0, batch);

        assertThat(outcome.batched()).as("fell back to event by event to find the culprit").isFalse();
        assertThat(outcome.applied()).isEqualTo(3);
        assertThat(outcome.setAside()).hasSize(2);
        assertThat(outcome.setAside().get(0)).contains("order bad, sequence 1, at " + TOPIC + "-0@1")
                .contains("SQLState 22001").doesNotContain("EURO");
        assertThat(orders()).isEqualTo(expected(List.of(batch.get(0), batch.get(2), batch.get(4))));
        assertThat(setAside()).containsExactly("acme/bad#1@1 22001", "acme/bad#2@3 null " + SetAside.HELD);
        assertThat(positions()).containsEntry(new TopicPartition(TOPIC, 0), 5L);

        // the order stays held in later batches; its other events never skip a sequence
        ProjectionWriter.Outcome later = apply(0, List.of(changed("acme", "bad", 3, OrderStatus.PROCESSING,
                OrderStatus.SHIPPED), changed("acme", "good-1", 3, OrderStatus.PROCESSING, OrderStatus.SHIPPED)));
        assertThat(later.batched()).isTrue();
        assertThat(later.applied()).isEqualTo(1);
        assertThat(setAside()).contains("acme/bad#3@5 null " + SetAside.HELD);
        assertThat(orders()).doesNotContainKey(new OrderKey("acme", "bad"));
    }

    @Test
    void anEventThatDoesNotFollowItsOrder_isSetAsideAtOnce_andTheBatchStaysSetBased() throws SQLException {
        apply(0, List.of(placed("acme", "o-1", "EUR")));
        List<EventEnvelope> batch = List.of(changed("acme", "o-1", 3, OrderStatus.PROCESSING, OrderStatus.SHIPPED),
                placed("acme", "o-2", "EUR"));

        ProjectionWriter.Outcome outcome = apply(0, batch);

        assertThat(outcome.batched()).isTrue();
        assertThat(outcome.applied()).isEqualTo(1);
        assertThat(outcome.setAside()).singleElement().asString().contains("expected sequence 2 but got 3");
        assertThat(orders().get(new OrderKey("acme", "o-1")).version()).isEqualTo(1);
        assertThat(orders()).containsKey(new OrderKey("acme", "o-2"));
    }

    @Test
    void whenPostgresFailsOtherwise_nothingIsWritten_notEvenThePositions_andTheBatchAppliesOnceItIsBack()
            throws SQLException {
        List<EventEnvelope> batch = List.of(placed("acme", "o-1", "EUR"), placed("acme", "o-2", "EUR"));
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE orders RENAME TO orders_away"); // 42P01: undefined table, not the event's fault
        }
        try {
            assertThatThrownBy(() -> apply(0, batch)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(WriteErrors.isEventError(e)).isFalse());
            assertThat(positions()).isEmpty();
            assertThat(setAside()).isEmpty();
        } finally {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE orders_away RENAME TO orders");
            }
        }
        offsets.clear();
        assertThat(apply(0, batch).applied()).isEqualTo(2);
        assertThat(orders()).isEqualTo(expected(batch));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private ProjectionWriter.Outcome apply(int partition, List<EventEnvelope> events) throws SQLException {
        List<ProjectionWriter.Located> located = new ArrayList<>();
        for (EventEnvelope event : events) {
            long offset = offsets.merge(partition, 1L, Long::sum) - 1;
            located.add(new ProjectionWriter.Located(TOPIC, partition, offset, event));
        }
        try (Connection c = connect()) {
            return writer.apply(c, GROUP, Map.of(new TopicPartition(TOPIC, partition), offsets.get(partition)),
                    located);
        }
    }

    /** The fold of the events, each time as PostgreSQL stores it. */
    private static Map<OrderKey, OrderState> expected(List<EventEnvelope> log) {
        Map<OrderKey, List<EventEnvelope>> byOrder = new LinkedHashMap<>();
        log.forEach(e -> byOrder.computeIfAbsent(e.key(), key -> new ArrayList<>()).add(e));
        Map<OrderKey, OrderState> expected = new HashMap<>();
        byOrder.forEach((key, events) -> {
            expected.put(key, ProjectionRows.asStored(OrderDecider.fold(events)));
        });
        return expected;
    }

    private static EventEnvelope stored(EventEnvelope e) {
        return ProjectionRows.asStored(e);
    }

    private static Map<OrderKey, OrderState> orders() throws SQLException {
        Map<OrderKey, OrderState> orders = new HashMap<>();
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement("SELECT " + ProjectionRows.SELECT_ORDER
                + " FROM orders"); ResultSet row = q.executeQuery()) {
            while (row.next()) {
                orders.put(new OrderKey(row.getString("tenant_id"), row.getString("order_id")),
                        ProjectionRows.state(row));
            }
        }
        return orders;
    }

    private static List<EventEnvelope> events() throws SQLException {
        List<EventEnvelope> events = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement("SELECT " + ProjectionRows.SELECT_EVENT
                + " FROM order_events ORDER BY tenant_id, order_id, sequence"); ResultSet row = q.executeQuery()) {
            while (row.next()) {
                events.add(ProjectionRows.recorded(row));
            }
        }
        return events;
    }

    private static List<String> setAside() throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = connect()) {
            for (SetAside.Entry entry : SetAside.read(c, null, null)) {
                lines.add(entry.tenantId() + "/" + entry.orderId() + "#" + entry.sequence() + "@" + entry.offset() + " "
                        + entry.sqlState() + (entry.sqlState() == null ? " " + entry.errorClass() : ""));
            }
        }
        return lines;
    }

    private static Map<TopicPartition, Long> positions() throws SQLException {
        try (Connection c = connect()) {
            return ProjectorOffsets.read(c, GROUP);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "postgres");
    }
}
