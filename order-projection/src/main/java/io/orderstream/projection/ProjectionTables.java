package io.orderstream.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The statements that write and read a pair of projection tables, set-based: each takes all its rows
 * as one array per column ({@code unnest}), so that a batch of any size is one statement and one
 * round trip, planned once. The live tables ({@link #LIVE}) or the rebuild's shadow copies
 * ({@link #named}); the rows are {@link ProjectionRows}'.
 */
public final class ProjectionTables {

    /** The live projection: {@code orders} and {@code order_events}. */
    public static final ProjectionTables LIVE = new ProjectionTables(ProjectionSchema.ORDERS, ProjectionSchema.EVENTS);

    private final String orders;
    private final String events;
    private final String insertEvents;
    private final String insertOrders;
    private final String upsertOrders;
    private final String updateOrders;
    private final String selectStates;
    private final String selectEventIds;

    private ProjectionTables(String orders, String events) {
        this.orders = orders;
        this.events = events;
        // every column as an array; the casts turn text into what the column holds (an assignment cast
        // too: a value too long for char(3) is refused with 22001, as a single-row insert refuses it)
        this.insertEvents = "INSERT INTO " + events + " (" + ProjectionRows.EVENT_COLUMNS + ")"
                + " SELECT t, o, s, e::uuid, ty, v, at::timestamptz, c, r, k, p::jsonb"
                + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[]) AS x(t, o, s, e, ty, v, at, c, r, k, p)";
        String orderRows = " SELECT t, o, st, v, cu, cur, tot, l::jsonb, ca::timestamptz, ua::timestamptz"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[],"
                + " ?::text[], ?::text[], ?::text[]) AS x(t, o, st, v, cu, cur, tot, l, ca, ua)";
        this.insertOrders = "INSERT INTO " + orders + " (" + ProjectionRows.ORDER_COLUMNS + ")" + orderRows;
        this.upsertOrders = insertOrders + " ON CONFLICT (tenant_id, order_id) DO UPDATE SET status = EXCLUDED.status,"
                + " version = EXCLUDED.version, customer_id = EXCLUDED.customer_id, currency = EXCLUDED.currency,"
                + " total_minor = EXCLUDED.total_minor, lines = EXCLUDED.lines, created_at = EXCLUDED.created_at,"
                + " updated_at = EXCLUDED.updated_at";
        // lines null: unchanged (a status change), so that PostgreSQL need not parse them again
        this.updateOrders = "UPDATE " + orders + " AS d SET status = x.st, version = x.v, customer_id = x.cu,"
                + " currency = x.cur, total_minor = x.tot, lines = coalesce(x.l::jsonb, d.lines),"
                + " created_at = x.ca::timestamptz,"
                + " updated_at = x.ua::timestamptz"
                + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[],"
                + " ?::bigint[], ?::text[], ?::text[], ?::text[]) AS x(t, o, was, st, v, cu, cur, tot, l, ca, ua)"
                + " WHERE d.tenant_id = x.t AND d.order_id = x.o AND d.version = x.was";
        // the lookups by key go through the primary key, one probe per key (LATERAL): the planner
        // cannot know how many keys an array holds, and must never scan a table that grows forever
        this.selectStates = "SELECT d.* FROM unnest(?::text[], ?::text[]) AS k(t, o) CROSS JOIN LATERAL (SELECT "
                + ProjectionRows.SELECT_ORDER + " FROM " + orders + " WHERE tenant_id = k.t AND order_id = k.o) AS d";
        this.selectEventIds = "SELECT d.* FROM unnest(?::text[], ?::text[], ?::bigint[]) AS k(t, o, s)"
                + " CROSS JOIN LATERAL (SELECT tenant_id, order_id, sequence, event_id::text FROM " + events
                + " WHERE tenant_id = k.t AND order_id = k.o AND sequence = k.s) AS d";
    }

    /** Another pair of tables shaped like the live ones (the rebuild's shadow tables). */
    public static ProjectionTables named(String orders, String events) {
        return new ProjectionTables(orders, events);
    }

    public String orders() {
        return orders;
    }

    public String events() {
        return events;
    }

    /**
     * An order's new state, and the version it had before ({@code 0}: it did not exist).
     *
     * @param linesChanged whether its lines differ from those it had (always, for a new order)
     */
    public record Change(OrderKey key, long before, OrderState after, boolean linesChanged) {

        public Change(OrderKey key, OrderState before, OrderState after) {
            this(key, before == null ? 0 : before.version(), after,
                    before == null || !before.lines().equals(after.lines()));
        }
    }

    /**
     * Inserts the events' rows, in one statement. An event already there (same tenant, order and
     * sequence) is refused (23505): callers insert only what their fold found new.
     */
    public void insertEvents(Connection connection, List<EventEnvelope> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        int n = batch.size();
        String[] tenants = new String[n];
        String[] orderIds = new String[n];
        Long[] sequences = new Long[n];
        String[] ids = new String[n];
        String[] types = new String[n];
        Integer[] versions = new Integer[n];
        String[] times = new String[n];
        String[] causes = new String[n];
        String[] requests = new String[n];
        String[] keys = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            EventEnvelope e = batch.get(i);
            tenants[i] = e.tenantId();
            orderIds[i] = e.orderId();
            sequences[i] = e.sequence();
            ids[i] = e.eventId();
            types[i] = e.event().typeName();
            versions[i] = e.schemaVersion();
            times[i] = text(e.occurredAt());
            causes[i] = e.causationId();
            requests[i] = e.requestId();
            keys[i] = e.idempotencyKey();
            payloads[i] = ProjectionRows.json(e.event());
        }
        try (PreparedStatement insert = connection.prepareStatement(insertEvents)) {
            bindArrays(connection, insert, new String[] {"text", "text", "int8", "text", "text", "int4", "text", "text",
                "text", "text", "text"}, tenants, orderIds, sequences, ids, types, versions, times, causes, requests, keys,
                    payloads);
            insert.executeUpdate();
        }
    }

    /**
     * The projector's write of the orders it changed: new orders inserted (one already there is
     * refused, 23505), existing ones updated only where they still stand at the version the events
     * followed.
     *
     * @throws WriteErrors.EventNotWritable when an order is no longer at that version (another writer
     *                                      changed it meanwhile)
     */
    public void writeOrders(Connection connection, Collection<Change> changes) throws SQLException {
        List<Change> created = new ArrayList<>();
        List<Change> updated = new ArrayList<>();
        for (Change change : changes) {
            (change.before() == 0 ? created : updated).add(change);
        }
        if (!created.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(insertOrders)) {
                bindOrders(connection, insert, created, false);
                insert.executeUpdate();
            }
        }
        if (!updated.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement(updateOrders)) {
                bindOrders(connection, update, updated, true);
                int rows = update.executeUpdate();
                if (rows != updated.size()) {
                    throw new WriteErrors.EventNotWritable("the order is not at the version the event follows", null);
                }
            }
        }
    }

    /**
     * Inserts or replaces these orders' rows whatever they hold now (the rebuild catching its shadow
     * tables up, {@code projection retry} under the projector's lock).
     */
    public void replaceOrders(Connection connection, Map<OrderKey, OrderState> states) throws SQLException {
        if (states.isEmpty()) {
            return;
        }
        List<Change> changes = new ArrayList<>(states.size());
        states.forEach((key, state) -> changes.add(new Change(key, 0, state, true)));
        try (PreparedStatement upsert = connection.prepareStatement(upsertOrders)) {
            bindOrders(connection, upsert, changes, false);
            upsert.executeUpdate();
        }
    }

    /** The current state of each of these orders that has a row. */
    public Map<OrderKey, OrderState> states(Connection connection, Set<OrderKey> keys) throws SQLException {
        Map<OrderKey, OrderState> states = new HashMap<>();
        if (keys.isEmpty()) {
            return states;
        }
        try (PreparedStatement query = connection.prepareStatement(selectStates)) {
            bindArrays(connection, query, new String[] {"text", "text"},
                    keys.stream().map(OrderKey::tenantId).toArray(String[]::new),
                    keys.stream().map(OrderKey::orderId).toArray(String[]::new));
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    states.put(new OrderKey(row.getString("tenant_id"), row.getString("order_id")),
                            ProjectionRows.state(row));
                }
            }
        }
        return states;
    }

    /** The event ids stored at these events' (tenant, order, sequence), by event: those that have a row. */
    public Map<EventEnvelope, UUID> storedIds(Connection connection, List<EventEnvelope> batch) throws SQLException {
        Map<EventEnvelope, UUID> stored = new HashMap<>();
        if (batch.isEmpty()) {
            return stored;
        }
        Map<String, EventEnvelope> byCoordinates = new HashMap<>();
        batch.forEach(e -> byCoordinates.put(coordinates(e.tenantId(), e.orderId(), e.sequence()), e));
        try (PreparedStatement query = connection.prepareStatement(selectEventIds)) {
            bindArrays(connection, query, new String[] {"text", "text", "int8"},
                    batch.stream().map(EventEnvelope::tenantId).toArray(String[]::new),
                    batch.stream().map(EventEnvelope::orderId).toArray(String[]::new),
                    batch.stream().map(EventEnvelope::sequence).toArray(Long[]::new));
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    EventEnvelope e = byCoordinates.get(coordinates(row.getString(1), row.getString(2), row.getLong(3)));
                    if (e != null) {
                        stored.put(e, UUID.fromString(row.getString(4)));
                    }
                }
            }
        }
        return stored;
    }

    private static String coordinates(String tenant, String order, long sequence) {
        return tenant.length() + ":" + tenant + "/" + order + "#" + sequence;
    }

    private static void bindOrders(Connection connection, PreparedStatement statement, List<Change> changes,
            boolean withBefore) throws SQLException {
        int n = changes.size();
        String[] tenants = new String[n];
        String[] orderIds = new String[n];
        Long[] before = new Long[n];
        String[] statuses = new String[n];
        Long[] versions = new Long[n];
        String[] customers = new String[n];
        String[] currencies = new String[n];
        Long[] totals = new Long[n];
        String[] lines = new String[n];
        String[] created = new String[n];
        String[] updated = new String[n];
        for (int i = 0; i < n; i++) {
            Change change = changes.get(i);
            OrderState o = change.after();
            tenants[i] = change.key().tenantId();
            orderIds[i] = change.key().orderId();
            before[i] = change.before();
            statuses[i] = o.status().name();
            versions[i] = o.version();
            customers[i] = o.customerId();
            currencies[i] = o.currency();
            totals[i] = o.totalMinor();
            lines[i] = change.linesChanged() ? ProjectionRows.json(o.lines()) : null;
            created[i] = text(o.createdAt());
            updated[i] = text(o.updatedAt());
        }
        if (withBefore) {
            bindArrays(connection, statement, new String[] {"text", "text", "int8", "text", "int8", "text", "text",
                "int8", "text", "text", "text"}, tenants, orderIds, before, statuses, versions, customers, currencies,
                    totals, lines, created, updated);
        } else {
            bindArrays(connection, statement, new String[] {"text", "text", "text", "int8", "text", "text", "int8",
                "text", "text", "text"}, tenants, orderIds, statuses, versions, customers, currencies, totals, lines,
                    created, updated);
        }
    }

    private static void bindArrays(Connection connection, PreparedStatement statement, String[] types,
            Object[]... columns) throws SQLException {
        for (int i = 0; i < columns.length; i++) {
            Array array = connection.createArrayOf(types[i], columns[i]);
            statement.setArray(i + 1, array);
        }
    }

    /** A time as text PostgreSQL reads back exactly: ISO-8601 in UTC, already rounded to the microsecond. */
    private static String text(Instant instant) {
        return instant == null ? null : ProjectionRows.micros(instant).toString();
    }
}
