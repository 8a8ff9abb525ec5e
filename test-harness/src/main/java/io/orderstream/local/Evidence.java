package io.orderstream.local;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderState;
import io.orderstream.events.Topics;
import io.orderstream.events.contract.MessageValidator;
import io.orderstream.projection.ProjectionRows;
import io.orderstream.projection.ProjectionSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the system recorded, read back the way an auditor would: the event log and the tables.
 * Every command, event and result it reads is checked against the JSON Schema of its version
 * (and its headers against its value): a message off the contract fails the test that reads it.
 */
public final class Evidence {

    private final String bootstrapServers;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;

    public Evidence(TestStack stack) {
        this(stack.bootstrapServers, stack.jdbcUrl, stack.dbUser, stack.dbPassword);
    }

    public Evidence(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword) {
        this.bootstrapServers = bootstrapServers;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    /**
     * Every committed record of a topic, from the beginning to its current end.
     *
     * @throws AssertionError when a result, or a command or event that claims a schema (a
     *                        {@code schema} header: those the API and the processor write),
     *                        violates its schema
     */
    public List<ConsumerRecord<byte[], byte[]>> readTopic(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(bootstrapServers, topic,
                Duration.ofSeconds(30));
        records.forEach(Evidence::checkSchema);
        return records;
    }

    private static void checkSchema(ConsumerRecord<byte[], byte[]> record) {
        MessageSchema schema = MessageSchema.forTopic(record.topic()).orElse(null);
        boolean claimsSchema = MessageHeaders.lastString(record.headers(), MessageHeaders.SCHEMA).isPresent();
        // test-injected garbage (no schema header) is other tests' input: bad commands for the DLQ tests,
        // events the projector cannot write for the projection's (ops-cli ProjectionSetAsideIT)
        if (schema == null || (schema != MessageSchema.RESULT && !claimsSchema)) {
            return;
        }
        List<String> violations = MessageValidator.recordViolations(schema, record.value(), record.headers());
        if (!violations.isEmpty()) {
            throw new AssertionError(record.topic() + "-" + record.partition() + "@" + record.offset() + " "
                    + new String(record.value(), StandardCharsets.UTF_8) + " violates " + schema.schemaName() + ": "
                    + violations);
        }
    }

    /** The tenant's events from the log, per order, in log order. */
    public Map<String, List<EventEnvelope>> events(String tenant) {
        Map<String, List<EventEnvelope>> byOrder = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readTopic(Topics.EVENTS.name())) {
            EventEnvelope event = Json.read(record.value(), EventEnvelope.class);
            if (event.tenantId().equals(tenant)) {
                byOrder.computeIfAbsent(event.orderId(), id -> new ArrayList<>()).add(event);
            }
        }
        return byOrder;
    }

    /** The fold of each order's events, as PostgreSQL stores it: what the projection must equal. */
    public Map<String, OrderState> foldOfEvents(String tenant) {
        return events(tenant).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> ProjectionRows.asStored(OrderDecider.fold(entry.getValue())), (a, b) -> a, TreeMap::new));
    }

    /** The tenant's rows in {@code orders}, as order states (the projection's own row mapping). */
    public Map<String, OrderState> projectedOrders(String tenant) {
        Map<String, OrderState> orders = new TreeMap<>();
        query("SELECT " + ProjectionRows.SELECT_ORDER + " FROM " + ProjectionSchema.ORDERS + " WHERE tenant_id = ?",
                tenant, row -> {
                    OrderState order = ProjectionRows.state(row);
                    orders.put(order.orderId(), order);
                });
        return orders;
    }

    /** The sequences in {@code order_events} per order, ascending. */
    public Map<String, List<Long>> projectedSequences(String tenant) {
        Map<String, List<Long>> sequences = new LinkedHashMap<>();
        query("SELECT order_id, sequence FROM " + ProjectionSchema.EVENTS + " WHERE tenant_id = ? ORDER BY order_id, "
                + "sequence", tenant,
                row -> sequences.computeIfAbsent(row.getString("order_id"), id -> new ArrayList<>())
                        .add(row.getLong("sequence")));
        return sequences;
    }

    interface RowHandler {
        void handle(ResultSet row) throws SQLException;
    }

    private void query(String sql, String tenant, RowHandler handler) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.handle(rows);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
