package io.orderstream.ops.projection;

import io.orderstream.projection.ProjectionFold;
import io.orderstream.projection.ProjectionTables;
import io.orderstream.projection.ProjectorOffsets;
import io.orderstream.projection.SetAside;
import io.orderstream.projection.WriteErrors;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.events.Topics;
import io.orderstream.ops.support.DbOptions;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.LogReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Applies the events the projector set aside, once their cause is fixed: reads each from the log by
 * its coordinates and writes it onto its order as the projector would, in sequence, each order
 * behind a savepoint. Holds the projector's lock meanwhile, so that it cannot set aside a later
 * event of an order while that order is being applied.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {
            "Re-reads the events the projector set aside (projection_set_aside) from orders.events.v1 by their "
                    + "coordinates and applies them to the orders and order_events tables, each order in sequence; "
                    + "an event that still cannot be written stays set aside, with the later events of its order.",
            "Prints each event and what became of it; exits 0 when every event was applied, 1 when some remain."})
final class RetryCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;
    @Mixin
    DbOptions db;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's events.")
    String tenant;

    @Option(names = "--order", paramLabel = "ORDER-ID", description = "Only this order's events.")
    String order;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "How long to wait for the projector's lock (e.g. 10s or PT10S; default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = db.connect()) {
            ProjectorOffsets.lock(connection, lockTimeout);
            List<SetAside.Entry> entries = SetAside.read(connection, tenant, order);
            if (entries.isEmpty()) {
                connection.rollback();
                out.println("projection retry: nothing is set aside" + scope());
                return ExitCodes.OK;
            }
            Map<String, EventEnvelope> events = read(entries);
            Map<OrderKey, List<SetAside.Entry>> byOrder = new LinkedHashMap<>();
            entries.forEach(entry -> byOrder.computeIfAbsent(new OrderKey(entry.tenantId(), entry.orderId()),
                    key -> new ArrayList<>()).add(entry));
            int applied = 0;
            int remaining = 0;
            for (Map.Entry<OrderKey, List<SetAside.Entry>> held : byOrder.entrySet()) {
                int done = retry(connection, held.getKey(), held.getValue(), events, out);
                applied += done;
                remaining += held.getValue().size() - done;
            }
            connection.commit();
            out.printf("projection retry: %d events applied, %d still set aside%s%n", applied, remaining, scope());
            return remaining == 0 ? ExitCodes.OK : ExitCodes.FAILED_CHECK;
        }
    }

    /** Applies an order's set-aside events in sequence until one fails; returns how many were applied. */
    private static int retry(Connection connection, OrderKey key, List<SetAside.Entry> entries,
            Map<String, EventEnvelope> events, PrintWriter out) throws SQLException {
        OrderState current = current(connection, key);
        Map<OrderKey, OrderState> states = new HashMap<>();
        if (current != null) {
            states.put(key, current);
        }
        // the projector's fold, without the hold: these are the events it held
        ProjectionFold fold = new ProjectionFold(states, new HashMap<>());
        int done = 0;
        for (SetAside.Entry entry : entries) {
            EventEnvelope event = events.get(entry.position());
            if (event == null) {
                out.println("  still set aside " + entry.describe() + ": no readable event at that position of the log");
                return done;
            }
            ProjectionFold.Step step = fold.apply(event);
            if (step instanceof ProjectionFold.Duplicate) {
                SetAside.forget(connection, entry);
                out.println("  already applied " + entry.describe());
                done++;
                continue;
            }
            if (!(step instanceof ProjectionFold.Applied applied)) {
                OrderState state = fold.get(key);
                out.println("  still set aside " + entry.describe() + ": it does not follow the order's version "
                        + (state == null ? 0 : state.version()) + " in PostgreSQL");
                return done;
            }
            Savepoint savepoint = connection.setSavepoint();
            try {
                ProjectionTables.LIVE.insertEvents(connection, List.of(event));
                ProjectionTables.LIVE.replaceOrders(connection, Map.of(key, applied.after()));
                SetAside.forget(connection, entry);
                connection.releaseSavepoint(savepoint);
            } catch (SQLException refused) {
                connection.rollback(savepoint);
                // the SQLState only: PostgreSQL's message quotes the value it refuses
                out.println("  still set aside " + entry.describe() + ": PostgreSQL refuses it again (SQLState "
                        + WriteErrors.sqlState(refused) + ")");
                return done;
            }
            out.println("  applied " + entry.describe());
            done++;
        }
        return done;
    }

    private static OrderState current(Connection connection, OrderKey key) throws SQLException {
        return ProjectionTables.LIVE.states(connection, java.util.Set.of(key)).get(key);
    }

    /** The events at the entries' positions, read from the log. */
    private Map<String, EventEnvelope> read(List<SetAside.Entry> entries) {
        Map<String, EventEnvelope> events = new HashMap<>();
        java.util.Set<String> wanted = SetAside.positions(entries);
        try (LogReader log = new LogReader(kafka, Topics.EVENTS.name())) {
            Map<TopicPartition, Long> from = new HashMap<>();
            Map<TopicPartition, Long> to = new HashMap<>();
            for (SetAside.Entry entry : entries) {
                TopicPartition partition = new TopicPartition(entry.topic(), entry.partition());
                from.merge(partition, entry.offset(), Math::min);
                to.merge(partition, entry.offset() + 1, Math::max);
            }
            log.read(from, to, record -> {
                String position = OrderFold.position(record);
                if (wanted.contains(position)) {
                    OrderFold.Parsed parsed = OrderFold.Parsed.of(record);
                    if (parsed.event() != null) {
                        events.put(position, parsed.event());
                    }
                }
            });
        }
        return events;
    }

    private String scope() {
        return (tenant == null ? "" : " of tenant " + tenant) + (order == null ? "" : " for order " + order);
    }
}
