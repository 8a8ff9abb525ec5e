package io.orderstream.ops.projection;

import io.orderstream.projection.ProjectionRows;
import io.orderstream.projection.ProjectorOffsets;
import io.orderstream.projection.SetAside;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.events.Topics;
import io.orderstream.ops.support.DbOptions;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.LogReader;
import io.orderstream.ops.support.OpsException;
import io.orderstream.ops.support.Progress;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Rebuilds the projection from the event log into shadow tables, checks them against the fold of
 * the log, catches them up to exactly where the live projector stands, and swaps them in.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {
            "Replays orders.events.v1 from the beginning into shadow tables (orders_rebuild, order_events_rebuild), "
                    + "checks them against the fold of the log (parity), catches them up to the live projector's "
                    + "stored offsets under a lock, and renames them over the live tables in one transaction.",
            "The API keeps serving reads throughout; they wait a few milliseconds for the rename, never fail.",
            "Ctrl-C before the swap drops the shadow tables and leaves the live tables untouched."})
final class RebuildCommand implements Callable<Integer> {

    /** Below this many events to catch up, the rebuild takes the lock and swaps. */
    private static final long SMALL_GAP = 1_000;
    private static final int CATCH_UP_ROUNDS = 5;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @Mixin
    KafkaOptions kafka;
    @Mixin
    DbOptions db;
    @Mixin
    ProjectorGroupOption projector;

    @Option(names = "--keep-previous",
            description = "Keep the replaced tables as orders_previous and order_events_previous (dropping older "
                    + "ones) instead of dropping them in the swap.")
    boolean keepPrevious;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "How long the swap may wait for its locks (e.g. 10s or PT10S; default: ${DEFAULT-VALUE}); "
                    + "past it the rebuild gives up and the live tables stay as they were.")
    Duration lockTimeout;

    @Option(names = "--show", paramLabel = "N", defaultValue = "20",
            description = "Parity problems to print if the check fails (default: ${DEFAULT-VALUE}).")
    int show;

    @Spec
    CommandSpec spec;

    /** Called with the name of each phase as it starts; lets tests act between phases. */
    private final Consumer<String> phases;
    private final StringBuilder timings = new StringBuilder();
    private String currentPhase;
    private long phaseStarted;

    RebuildCommand() {
        this(phase -> { });
    }

    RebuildCommand(Consumer<String> phases) {
        this.phases = phases;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        try (Connection connection = db.connect(); LogReader log = new LogReader(kafka, Topics.EVENTS.name())) {
            ShadowTables shadow = ShadowTables.create(connection);
            try {
                return rebuild(connection, log, shadow, out, err, started);
            } catch (Exception | Error failure) {
                Thread.interrupted(); // clean up first; the failure says what happened
                try {
                    connection.rollback();
                    shadow.drop();
                } catch (SQLException cleanup) {
                    failure.addSuppressed(cleanup);
                }
                if (failure instanceof InterruptException || failure instanceof InterruptedException) {
                    throw new OpsException(ExitCodes.INTERRUPTED, "projection rebuild interrupted before the swap: "
                            + "the shadow tables were dropped, the live tables are untouched");
                }
                throw failure;
            }
        }
    }

    private int rebuild(Connection connection, LogReader log, ShadowTables shadow, PrintWriter out, PrintWriter err,
            long started) throws Exception {
        phase("load");
        Map<TopicPartition, Long> position = new HashMap<>(log.beginningOffsets());
        Map<TopicPartition, Long> end = log.endOffsets();
        // the events the projector set aside hold their orders back here too: the rebuilt tables are what
        // the projector would have written (projection retry applies them, to either)
        List<SetAside.Entry> setAside = SetAside.read(connection, null, null);
        OrderFold fold = new OrderFold().holdAt(SetAside.positions(setAside));
        Progress loading = Progress.start(err, "rebuild: events into order_events_rebuild", LogReader.span(position, end));
        long rows;
        try (CopyStream events = shadow.copyEvents(); ParallelReader reader = new ParallelReader()) {
            log.readBatches(position, end, batch -> {
                // reading JSON and encoding rows in parallel; folding in log order
                List<Loaded> loaded = interruptibly(() -> reader.map(batch, Loaded::of));
                for (Loaded record : loaded) {
                    if (fold.apply(record.parsed()) != null) {
                        events.add(record.row());
                    }
                }
                loading.advance(batch.size());
            });
            rows = events.finish();
        }
        long loadRate = loading.finish();
        double loadSeconds = loading.seconds();
        position.putAll(end);

        Progress ordering = Progress.start(err, "rebuild: orders into orders_rebuild", fold.orders().size());
        try (CopyStream orders = shadow.copyOrders()) {
            for (Map.Entry<OrderKey, OrderState> order : fold.orders().entrySet()) {
                orders.add(ProjectionRows.order(order.getKey(), order.getValue()));
                ordering.advance(1);
            }
            orders.finish();
        }
        ordering.finish();
        connection.commit();

        phase("index");
        err.println("rebuild: indexes, constraints and grants of the live tables");
        err.flush();
        shadow.finishLoad();

        phase("parity");
        ProjectionCheck.Report parity = ProjectionCheck.compare(connection, ShadowTables.shadow(ShadowTables.ORDERS),
                ShadowTables.shadow(ShadowTables.EVENTS), fold, null, show);
        connection.commit();
        if (!parity.clean()) {
            parity.shown().forEach(out::println);
            throw OpsException.refused("parity check failed: " + parity.problems() + " orders of the shadow tables "
                    + "differ from the fold of the log; the shadow tables were dropped, the live tables are untouched");
        }
        err.printf("rebuild: parity holds: %,d orders and %,d events equal the fold of the log%n", parity.orders(),
                parity.events());
        err.flush();

        phase("catch-up");
        long caughtUp = 0;
        for (int round = 0; round < CATCH_UP_ROUNDS; round++) {
            Map<TopicPartition, Long> now = log.endOffsets();
            long gap = LogReader.span(position, now);
            if (gap == 0) {
                break;
            }
            caughtUp += catchUp(log, fold, shadow, position, now);
            connection.commit();
            if (gap < SMALL_GAP) {
                break;
            }
        }

        if (keepPrevious) {
            shadow.dropPrevious();
        }
        phase("swap");
        Map<TopicPartition, Long> stored;
        Map<TopicPartition, Long> target = new HashMap<>(position);
        long underLock;
        long swapMillis;
        try {
            ProjectorOffsets.lock(connection, lockTimeout);
            stored = ProjectorOffsets.read(connection, projector.group, log.topic());
            stored.forEach((partition, offset) -> target.merge(partition, offset, Math::max));
            underLock = catchUp(log, fold, shadow, position, target);
            long swapStarted = System.nanoTime();
            shadow.swap(keepPrevious);
            swapMillis = (System.nanoTime() - swapStarted) / 1_000_000;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw OpsException.error("the swap could not take its locks within " + lockTimeout.toMillis()
                        + " ms (a long query or transaction holds projector_offsets, orders or order_events); "
                        + "nothing was swapped, the live tables are untouched: run it again, or raise --lock-timeout");
            }
            throw e;
        }

        phase("done");
        out.println("projection rebuild: swapped in");
        out.printf("  events read      %,d (%,d duplicates and %,d unreadable records skipped, %,d held back, as the "
                + "projector does)%n", fold.applied() + fold.duplicates() + fold.unreadableCount() + fold.heldEvents(),
                fold.duplicates(), fold.unreadableCount(), fold.heldEvents());
        fold.unreadable().forEach(line -> out.println("    unreadable: " + line));
        out.printf("  rows             %,d orders, %,d order_events%n", fold.orders().size(), fold.applied());
        out.printf("  held back        %,d orders (%,d events) behind an event that cannot be written, as the "
                + "projector holds them%s%n", fold.held().size(), fold.heldEvents(),
                fold.held().isEmpty() ? "" : "; orders-ops projection verify lists them, projection retry applies them");
        fold.held().values().stream().limit(show).forEach(why -> out.println("    held: " + why));
        out.printf("  parity           shadow equals the fold of the log (%,d orders, %,d events)%n", parity.orders(),
                parity.events());
        out.printf("  caught up        %,d events during the rebuild, %,d of them under the lock, up to %s%n",
                caughtUp + underLock, underLock, LogReader.describe(target));
        out.printf("  live projector   stored offsets %s%n", LogReader.describe(stored));
        out.printf("  swap             one transaction, %d ms; previous tables %s%n", swapMillis,
                keepPrevious ? "kept as orders_previous, order_events_previous" : "dropped");
        out.printf("  speed            %,d events loaded in %.1f s = %,d events/s; %.1f s in all%n", rows,
                loadSeconds, loadRate, (System.nanoTime() - started) / 1e9);
        out.printf("  phases           %s%n", timings);
        return ExitCodes.OK;
    }

    /** A record read and, when readable, encoded as an order_events row. */
    private record Loaded(OrderFold.Parsed parsed, String row) {
        static Loaded of(ConsumerRecord<byte[], byte[]> record) {
            OrderFold.Parsed parsed = OrderFold.Parsed.of(record);
            if (parsed.event() == null) {
                return new Loaded(parsed, null);
            }
            StringBuilder row = new StringBuilder(512);
            ProjectionRows.appendCopy(row, ProjectionRows.event(parsed.event()));
            return new Loaded(parsed, row.toString());
        }
    }

    private interface Interruptible<T> {
        T call() throws InterruptedException;
    }

    private static <T> T interruptibly(Interruptible<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /** Tells the listener, and stops here if the command was interrupted (Ctrl-C). */
    private void phase(String name) throws InterruptedException {
        long now = System.nanoTime();
        if (currentPhase != null) {
            timings.append(timings.length() == 0 ? "" : ", ").append(String.format("%s %.1f s", currentPhase,
                    (now - phaseStarted) / 1e9));
        }
        currentPhase = name;
        phaseStarted = now;
        phases.accept(name);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before " + name);
        }
    }

    /** Folds and writes the events at {@code [position, target)}; advances {@code position}. */
    private static long catchUp(LogReader log, OrderFold fold, ShadowTables shadow, Map<TopicPartition, Long> position,
            Map<TopicPartition, Long> target) throws SQLException {
        if (LogReader.span(position, target) == 0) {
            return 0;
        }
        List<EventEnvelope> events = new ArrayList<>();
        Map<OrderKey, OrderState> changed = new LinkedHashMap<>();
        log.read(position, target, record -> {
            EventEnvelope event = fold.apply(record);
            if (event != null) {
                events.add(event);
                changed.put(event.key(), fold.get(event.key()));
            }
        });
        shadow.upsert(events, changed);
        target.forEach((partition, offset) -> position.merge(partition, offset, Math::max));
        return events.size();
    }
}
