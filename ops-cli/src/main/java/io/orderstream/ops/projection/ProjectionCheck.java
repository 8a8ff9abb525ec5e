package io.orderstream.ops.projection;

import io.orderstream.projection.ProjectionRows;
import io.orderstream.events.Json;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Compares projection tables with the fold of the event log, order by order: every {@code orders}
 * row field by field, and each order's {@code order_events} (count, sequences 1…version, and at each
 * sequence the very event of the log, by its id). Used
 * by {@code projection verify} on the live tables and by {@code projection rebuild} on its shadow.
 */
final class ProjectionCheck {

    /**
     * @param orders     orders compared
     * @param events     event rows counted
     * @param problems   how many orders differ
     * @param shown      the first problems, one line each
     */
    record Report(long orders, long events, long problems, List<String> shown) {
        boolean clean() {
            return problems == 0;
        }
    }

    private final int limit;
    private final List<String> shown = new ArrayList<>();
    private final Set<OrderKey> differing = new HashSet<>();

    private ProjectionCheck(int limit) {
        this.limit = limit;
    }

    /**
     * @param tenant only this tenant's orders, or {@code null} for all
     * @param limit  how many problems to describe (all are counted)
     */
    static Report compare(Connection connection, String ordersTable, String eventsTable, OrderFold fold,
            String tenant, int limit) throws SQLException {
        ProjectionCheck check = new ProjectionCheck(limit);
        try (java.sql.Statement settings = connection.createStatement()) {
            settings.execute("SET LOCAL work_mem = '256MB'"); // the per-order aggregate stays in memory
        }
        Set<OrderKey> seen = new HashSet<>();
        String where = tenant == null ? "" : " WHERE tenant_id = ?";
        long orders = 0;
        try (PreparedStatement rows = connection.prepareStatement("SELECT " + ProjectionRows.SELECT_ORDER + " FROM "
                + ordersTable + where)) {
            rows.setFetchSize(10_000);
            if (tenant != null) {
                rows.setString(1, tenant);
            }
            try (ResultSet row = rows.executeQuery()) {
                while (row.next()) {
                    orders++;
                    OrderKey key = new OrderKey(row.getString("tenant_id"), row.getString("order_id"));
                    seen.add(key);
                    OrderState expected = fold.get(key);
                    if (expected == null) {
                        check.problem(key, "UNEXPECTED " + key + ": a row in " + ordersTable
                                + ", but the event log has no such order");
                    } else {
                        List<String> diff = differences(row, expected);
                        if (!diff.isEmpty()) {
                            check.problem(key, "MISMATCH " + key + ": " + String.join("; ", diff));
                        }
                    }
                }
            }
        }
        for (Map.Entry<OrderKey, OrderState> order : fold.orders().entrySet()) {
            if ((tenant == null || order.getKey().tenantId().equals(tenant)) && !seen.contains(order.getKey())) {
                check.problem(order.getKey(), "MISSING " + order.getKey() + ": in the event log (version "
                        + order.getValue().version() + ", " + order.getValue().status() + ") but no row in "
                        + ordersTable);
            }
        }
        long events = 0;
        try (PreparedStatement counts = connection.prepareStatement("SELECT tenant_id, order_id, count(*), "
                + "min(sequence), max(sequence), string_agg(event_id::text, ',' ORDER BY sequence) FROM " + eventsTable
                + where + " GROUP BY tenant_id, order_id")) {
            counts.setFetchSize(10_000);
            if (tenant != null) {
                counts.setString(1, tenant);
            }
            try (ResultSet row = counts.executeQuery()) {
                while (row.next()) {
                    OrderKey key = new OrderKey(row.getString(1), row.getString(2));
                    long count = row.getLong(3);
                    events += count;
                    OrderState expected = fold.get(key);
                    long version = expected == null ? 0 : expected.version();
                    if (count != version || row.getLong(4) != 1 || row.getLong(5) != version) {
                        check.problem(key, "EVENTS " + key + ": " + eventsTable + " holds " + count
                                + " events with sequences " + row.getLong(4) + ".." + row.getLong(5)
                                + ", the event log " + version);
                    } else {
                        differentEvents(check, key, row.getString(6), fold, eventsTable);
                    }
                }
            }
        }
        return new Report(orders, events, check.differing.size(), List.copyOf(check.shown));
    }

    /** Sequences 1…n in order: each row's event id against the log's event at that sequence. */
    private static void differentEvents(ProjectionCheck check, OrderKey key, String storedIds, OrderFold fold,
            String eventsTable) {
        String[] ids = storedIds.split(",");
        for (int i = 0; i < ids.length; i++) {
            UUID logged = fold.eventId(key, i + 1);
            if (logged == null || !logged.toString().equalsIgnoreCase(ids[i])) {
                check.problem(key, "DIFFERENT EVENT " + key + "#" + (i + 1) + ": " + eventsTable + " holds event "
                        + ids[i] + ", the event log " + logged + " at that sequence");
            }
        }
    }

    private void problem(OrderKey key, String line) {
        differing.add(key);
        if (shown.size() < limit) {
            shown.add(line);
        }
    }

    /** Field by field, as {@code field: projection=…, log=…}. */
    static List<String> differences(ResultSet row, OrderState expected) throws SQLException {
        List<String> diff = new ArrayList<>();
        compare(diff, "status", row.getString("status"), expected.status().name());
        compare(diff, "version", row.getLong("version"), expected.version());
        compare(diff, "customer_id", row.getString("customer_id"), expected.customerId());
        compare(diff, "currency", row.getString("currency"), expected.currency());
        compare(diff, "total_minor", row.getLong("total_minor"), expected.totalMinor());
        compare(diff, "lines", lines(row.getString("lines")), expected.lines());
        compare(diff, "created_at", ProjectionRows.instant(row, "created_at"), ProjectionRows.micros(expected.createdAt()));
        compare(diff, "updated_at", ProjectionRows.instant(row, "updated_at"), ProjectionRows.micros(expected.updatedAt()));
        return diff;
    }

    private static void compare(List<String> diff, String field, Object projected, Object folded) {
        if (!Objects.equals(projected, folded)) {
            diff.add(field + ": projection=" + projected + ", log=" + folded);
        }
    }

    private static Object lines(String json) {
        try {
            return Arrays.asList(Json.read(json.getBytes(StandardCharsets.UTF_8), OrderLine[].class));
        } catch (RuntimeException unreadable) {
            return json;
        }
    }
}
