package io.orderstream.processor.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;

/**
 * Not a test: CPU per event of the projector's write path (this JVM's thread) and of PostgreSQL (all
 * its processes, from /proc), for polls of 500 events as the projector gets them. Run it with the
 * test classpath: {@code java -cp … io.orderstream.processor.projection.ProjectorCpuHarness [events]}.
 * Compare figures measured in one sitting only (a shared machine is noisy; CPU time much less so).
 */
public final class ProjectorCpuHarness {

    private static final String TOPIC = "orders.events.v1";
    private static final int POLL = 500;
    private static final long TICKS = 100; // USER_HZ

    public static void main(String[] args) throws Exception {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                HikariDataSource dataSource = new HikariDataSource()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Flyway.configure().dataSource(url, "postgres", "postgres").load().migrate();
            dataSource.setJdbcUrl(url);
            dataSource.setUsername("postgres");
            dataSource.setPassword("postgres");
            dataSource.setMaximumPoolSize(2);
            ProjectionRepository repository = Harness.repository(dataSource, new ProjectionAlarms(new SimpleMeterRegistry()));
            long postmaster = postmaster(dataSource);

            List<EventEnvelope> warmup = events("warm", 10_000);
            run(repository, warmup, 0);
            List<EventEnvelope> log = events("run", measured);
            long pgBefore = ticks(postmaster);
            long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long wallBefore = System.nanoTime();
            run(repository, log, warmup.size());
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            long pg = ticks(postmaster) - pgBefore;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet row = s.executeQuery("SELECT count(*) FROM order_events")) {
                row.next();
                if (row.getLong(1) != warmup.size() + log.size()) {
                    throw new IllegalStateException("expected " + (warmup.size() + log.size()) + " rows, got "
                            + row.getLong(1));
                }
            }
            System.out.printf("events %d in polls of %d: projector thread CPU %.4f ms/event, PostgreSQL CPU %.4f ms/event"
                    + " (%d ticks), wall %.1f s%n", log.size(), POLL, cpu / 1e6 / log.size(),
                    pg * (1000.0 / TICKS) / log.size(), pg, wall / 1e9);
        }
    }

    private static void run(ProjectionRepository repository, List<EventEnvelope> log, long firstOffset) {
        for (int from = 0; from < log.size(); from += POLL) {
            List<EventEnvelope> poll = log.subList(from, Math.min(log.size(), from + POLL));
            long offset = firstOffset + from;
            List<Object> located = new ArrayList<>();
            for (EventEnvelope event : poll) {
                located.add(Harness.located(TOPIC, 0, offset++, event));
            }
            Harness.apply(repository, "bench", Map.of(new TopicPartition(TOPIC, 0), offset), located);
        }
    }

    /** Orders of four events each (placed, processing, shipped, delivered), a few hundred open at once. */
    private static List<EventEnvelope> events(String prefix, int count) {
        List<EventEnvelope> log = new ArrayList<>(count);
        OrderStatus[] path = {OrderStatus.PENDING, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED};
        int open = 300;
        int orders = count / 4;
        Instant t = Instant.parse("2026-12-01T00:00:00.123456789Z");
        for (int wave = 0; wave < orders; wave += open) {
            for (int step = 0; step < 4; step++) {
                for (int o = wave; o < Math.min(orders, wave + open); o++) {
                    String order = prefix + "-" + o;
                    OrderEvent event = step == 0
                            ? new OrderEvent.OrderPlaced("cust-" + o, "EUR", List.of(new OrderLine("sku-1", 2, 1250),
                                    new OrderLine("sku-2", 1, 999)), 3499)
                            : new OrderEvent.OrderStatusChanged(path[step - 1], path[step], null, "user@acme");
                    t = t.plusNanos(1_234_567);
                    log.add(new EventEnvelope(SchemaVersions.EVENT, UUID.nameUUIDFromBytes((order + "#" + (step + 1))
                            .getBytes(StandardCharsets.UTF_8)).toString(), "acme", order, step + 1, t,
                            UUID.randomUUID().toString(), "req", "key-" + o + "-" + step, event));
                }
            }
        }
        return log;
    }

    private static long postmaster(javax.sql.DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return Long.parseLong(stat(row.getLong(1))[3]);
        }
    }

    /** utime + stime of the postmaster and every process it started (backends, writers, WAL). */
    private static long ticks(long postmaster) throws IOException {
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] stat = stat(Long.parseLong(name));
                    if (Long.parseLong(name) == postmaster || Long.parseLong(stat[3]) == postmaster) {
                        ticks += Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return ticks;
    }

    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after the command name, which is in parentheses and may hold spaces
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        String[] fields = rest.split(" ");
        String[] all = new String[fields.length + 2];
        all[0] = Long.toString(pid);
        all[1] = "comm";
        System.arraycopy(fields, 0, all, 2, fields.length);
        return all;
    }
}
