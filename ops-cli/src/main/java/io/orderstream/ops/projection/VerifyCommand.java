package io.orderstream.ops.projection;

import io.orderstream.projection.ProjectorOffsets;
import io.orderstream.projection.SetAside;
import io.orderstream.events.Topics;
import io.orderstream.ops.support.DbOptions;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.LogReader;
import io.orderstream.ops.support.Progress;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Recomputes every order from the event log and compares it with PostgreSQL. The projector stores
 * its offsets with its rows, so one snapshot of the database gives both the rows and exactly how
 * much of the log they reflect: the log is folded up to those offsets, and a lagging projector
 * is never mistaken for a wrong one.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Recomputes every order from orders.events.v1 (OrderDecider.fold) and compares it with the orders and "
                    + "order_events tables, at the offsets the projector has stored with those rows (one consistent "
                    + "snapshot), event by event (by event id at each sequence). Lists the events the projector set "
                    + "aside and partitions where PostgreSQL stands beyond the end of the log. Prints each difference; "
                    + "exits 0 only when they are equal and nothing is set aside, 1 otherwise."})
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;
    @Mixin
    DbOptions db;
    @Mixin
    ProjectorGroupOption projector;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's orders.")
    String tenant;

    @Option(names = "--show", paramLabel = "N", defaultValue = "50",
            description = "Differences to print (all are counted; default: ${DEFAULT-VALUE}).")
    int show;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Connection connection = db.connect(); LogReader log = new LogReader(kafka, Topics.EVENTS.name())) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            // the snapshot starts with this query: rows read later are exactly as of these offsets
            Map<TopicPartition, Long> stored = ProjectorOffsets.read(connection, projector.group, log.topic());
            Map<TopicPartition, Long> end = log.endOffsets();
            Map<TopicPartition, Long> from = log.beginningOffsets();
            Map<TopicPartition, Long> target = new HashMap<>();
            List<Integer> unknown = new ArrayList<>();
            List<String> ahead = new ArrayList<>();
            for (TopicPartition partition : log.partitions()) {
                Long at = stored.get(partition);
                if (at == null && end.get(partition) > from.get(partition)) {
                    unknown.add(partition.partition());
                }
                if (at != null && at > end.get(partition)) {
                    ahead.add("AHEAD partition " + partition.partition() + ": the projector's stored position " + at
                            + " is beyond the end of the log " + end.get(partition) + " (PostgreSQL restored from "
                            + "another deployment's backup, or the log recreated)");
                }
                target.put(partition, at == null ? end.get(partition) : Math.min(at, end.get(partition)));
            }
            if (!unknown.isEmpty()) {
                err.printf("verify: the projector (group %s) has stored no offsets for partitions %s: comparing with "
                        + "the end of the log there, so events it has not applied yet show as differences%n",
                        projector.group, unknown);
            }

            List<SetAside.Entry> setAside = SetAside.read(connection, tenant, null);
            OrderFold fold = new OrderFold().holdAt(SetAside.positions(setAside));
            byte[] prefix = tenant == null ? null : (tenant + "/").getBytes(StandardCharsets.UTF_8);
            Progress reading = Progress.start(err, "verify: folding orders.events.v1", LogReader.span(from, target));
            try {
                log.read(from, target, record -> {
                    if (prefix == null || startsWith(record.key(), prefix)) {
                        fold.apply(record);
                    }
                    reading.advance(1);
                });
            } catch (OrderFold.InvalidHistoryException invalid) {
                out.println("INVALID " + invalid.getMessage());
                out.println("projection verify: the event log cannot be folded; the projection cannot equal it");
                return ExitCodes.FAILED_CHECK;
            }
            reading.finish();

            ProjectionCheck.Report report = ProjectionCheck.compare(connection, ShadowTables.ORDERS,
                    ShadowTables.EVENTS, fold, tenant, show);
            connection.rollback();
            ahead.forEach(out::println);
            report.shown().forEach(out::println);
            if (report.problems() > report.shown().size()) {
                out.printf("… and more: %,d orders differ in all (--show to print more)%n", report.problems());
            }
            setAside.stream().limit(show).forEach(entry -> out.println("SET ASIDE " + entry.describe()));
            fold.held().forEach((order, why) -> {
                if (!setAside.stream().anyMatch(entry -> entry.tenantId().equals(order.tenantId())
                        && entry.orderId().equals(order.orderId()))) {
                    out.println("UNWRITABLE " + why + " (the projector has not set it aside yet)");
                }
            });
            String scope = tenant == null ? "" : " of tenant " + tenant;
            if (fold.unreadableCount() > 0) {
                out.printf("note: %,d unreadable records in the log were skipped, as the projector skips them%n",
                        fold.unreadableCount());
            }
            if (!setAside.isEmpty()) {
                out.printf("projection verify: SET ASIDE: %,d events%s could not be written and are held back with "
                        + "the later events of their orders (the orders above stop before them); once the cause is "
                        + "fixed: orders-ops projection retry%n", setAside.size(), scope);
            }
            if (!ahead.isEmpty()) {
                out.printf("projection verify: AHEAD OF THE LOG: %d partitions; the projection does not come from "
                        + "this log: repair with: orders-ops projection rebuild (see docs/operations.md)%n",
                        ahead.size());
            }
            if (report.clean() && setAside.isEmpty() && ahead.isEmpty() && fold.held().isEmpty()) {
                out.printf("projection verify: OK: %,d orders and %,d events%s equal the fold of the log "
                        + "(at offsets %s)%n", report.orders(), report.events(), scope, LogReader.describe(target));
                return ExitCodes.OK;
            }
            if (report.clean()) {
                return ExitCodes.FAILED_CHECK;
            }
            out.printf("projection verify: DIFFERENT: %,d orders%s differ from the fold of the log (at offsets %s); "
                    + "repair with: orders-ops projection rebuild%n", report.problems(), scope, LogReader.describe(target));
            return ExitCodes.FAILED_CHECK;
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key == null || key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
