package io.orderstream.ops.projection;

import static io.orderstream.ops.OpsRun.withKafkaAndDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.local.Evidence;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import io.orderstream.ops.Orders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import picocli.CommandLine;

/** projection rebuild and verify against the real broker, PostgreSQL and a running processor and API. */
class ProjectionOpsIT {

    private static TestStack stack;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
    }

    @Test
    void rebuild_whileReadsAndWritesGoOn_failsNoRead_andKeepsWhatTheProjectorAppliedMeanwhile() throws Exception {
        String tenant = TestStack.newTenant();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            orders.add(Orders.place(stack, tenant, "before-" + i));
        }
        Orders.changeStatus(stack, tenant, orders.get(0), "pick-0", "PROCESSING");
        awaitProjected(tenant);

        // a storefront reading one order, over and over, through the API, all through the rebuild
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> failedReads = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                HttpResponse<String> read = stack.api.getOrder(tenant, orders.get(0));
                reads.incrementAndGet();
                if (read.statusCode() != 200 || !read.body().contains("\"status\":\"PROCESSING\"")) {
                    failedReads.add(read.statusCode() + " " + read.body());
                }
            }
        }, "reader");
        reader.start();

        // orders placed while the rebuild runs: one after its snapshot of the log, one the live projector
        // applies after the shadow caught up, just before the swap takes its lock
        AtomicReference<String> afterSnapshot = new AtomicReference<>();
        AtomicReference<String> beforeSwap = new AtomicReference<>();
        Consumer<String> phases = phase -> {
            if (phase.equals("parity")) {
                afterSnapshot.set(Orders.place(stack, tenant, "after-snapshot"));
            } else if (phase.equals("swap")) {
                beforeSwap.set(Orders.place(stack, tenant, "before-swap"));
                await().atMost(Duration.ofSeconds(30)).until(() -> projectedInLiveTable(tenant, beforeSwap.get()));
            }
        };
        OpsRun.Result rebuild;
        try {
            rebuild = OpsRun.run(factory(phases), withKafkaAndDb(stack, "projection", "rebuild"));
        } finally {
            reading.set(false);
            reader.join();
        }

        assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("projection rebuild: swapped in").contains("shadow equals the fold of the log");
        Matcher caughtUp = Pattern.compile("(\\d+) of them under the lock").matcher(rebuild.out());
        assertThat(caughtUp.find()).as(rebuild.out()).isTrue();
        assertThat(Integer.parseInt(caughtUp.group(1))).as("events caught up under the lock").isGreaterThanOrEqualTo(1);
        assertThat(rebuild.err()).contains("records/s");
        assertThat(failedReads).as("reads during the rebuild").isEmpty();
        assertThat(reads.get()).isPositive();

        // the order the live projector applied just before the swap is in the new tables at once: the projector
        // has moved past it and will not write it again
        assertThat(stack.api.getOrder(tenant, beforeSwap.get()).statusCode()).isEqualTo(200);
        assertThat(stack.api.getOrder(tenant, afterSnapshot.get()).statusCode()).isEqualTo(200);
        assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)).hasSize(7);

        // the projector goes on writing into the swapped-in tables
        String afterSwap = Orders.place(stack, tenant, "after-swap");
        await().atMost(Duration.ofSeconds(30)).until(() -> projectedInLiveTable(tenant, afterSwap));
        // this test's tenant: other tests leave events set aside on purpose (ProjectionSetAsideIT)
        OpsRun.Result verify = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("projection verify: OK");
    }

    @Test
    void verify_namesARowChangedBehindItsBack_andRebuildRepairsIt() throws Exception {
        String tenant = TestStack.newTenant();
        String order = Orders.place(stack, tenant, "k1");
        String other = Orders.place(stack, tenant, "k2");
        awaitProjected(tenant);
        OpsRun.Result clean = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("OK: 2 orders and 2 events of tenant " + tenant);

        execute("UPDATE orders SET status = 'SHIPPED' WHERE tenant_id = ? AND order_id = ?", tenant, order);

        OpsRun.Result tampered = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
        assertThat(tampered.out())
                .contains("MISMATCH " + tenant + "/" + order + ": status: projection=SHIPPED, log=PENDING")
                .doesNotContain(other)
                .contains("DIFFERENT: 1 orders of tenant " + tenant);
        OpsRun.Result everything = OpsRun.run(withKafkaAndDb(stack, "projection", "verify"));
        assertThat(everything.exitCode()).as(everything.toString()).isEqualTo(1);
        assertThat(everything.out()).contains("MISMATCH " + tenant + "/" + order);

        OpsRun.Result rebuild = OpsRun.run(withKafkaAndDb(stack, "projection", "rebuild", "--keep-previous"));
        assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
        OpsRun.Result repaired = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(queryString("SELECT status FROM orders WHERE tenant_id = ? AND order_id = ?", tenant, order))
                .isEqualTo("PENDING");
        assertThat(queryString("SELECT status FROM orders_previous WHERE tenant_id = ? AND order_id = ?", tenant, order))
                .as("the replaced table, kept").isEqualTo("SHIPPED");
    }

    @Test
    void rebuild_interrupted_dropsItsShadowTables_andLeavesTheLiveTablesUntouched() throws Exception {
        String tenant = TestStack.newTenant();
        Orders.place(stack, tenant, "k1");
        awaitProjected(tenant);
        String liveBefore = queryString("SELECT 'orders'::regclass::oid::text");
        Map<String, ?> rowsBefore = evidence.projectedOrders(tenant);

        // what Ctrl-C does: the shutdown hook interrupts the command's thread
        OpsRun.Result interrupted = OpsRun.run(factory(phase -> {
            if (phase.equals("parity")) {
                Thread.currentThread().interrupt();
            }
        }), withKafkaAndDb(stack, "projection", "rebuild"));

        assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(130);
        assertThat(interrupted.err()).contains("interrupted before the swap")
                .contains("the live tables are untouched");
        assertThat(queryString("SELECT 'orders'::regclass::oid::text")).as("the same live table").isEqualTo(liveBefore);
        assertThat(queryString("SELECT coalesce(to_regclass('orders_rebuild')::text, 'none')")).isEqualTo("none");
        assertThat(queryString("SELECT coalesce(to_regclass('order_events_rebuild')::text, 'none')")).isEqualTo("none");
        assertThat(evidence.projectedOrders(tenant)).isEqualTo(rowsBefore);
    }

    @Test
    void projector_storesItsOffsetsWithItsRows_andReportsItsLag() throws Exception {
        String tenant = TestStack.newTenant();
        Orders.place(stack, tenant, "k1");
        awaitProjected(tenant);

        // once the projector has caught up, its stored positions are the end of the log
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long endOfLog = 0;
            Map<Integer, Long> last = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : evidence.readTopic("orders.events.v1")) {
                last.merge(record.partition(), record.offset() + 1, Math::max);
            }
            for (long offset : last.values()) {
                endOfLog += offset;
            }
            long stored = Long.parseLong(queryString("SELECT coalesce(sum(next_offset), 0)::text FROM projector_offsets "
                    + "WHERE consumer_group = 'order-projector' AND topic = 'orders.events.v1'"));
            assertThat(stored).as("next offsets after the last event of each partition").isEqualTo(endOfLog);
        });

        HttpClient http = HttpClient.newHttpClient();
        URI prometheus = URI.create("http://localhost:" + stack.services.processorPort() + "/actuator/prometheus");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = http.send(HttpRequest.newBuilder(prometheus).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("orders_projection_lag_records\\{[^}]*partition=\"\\d+\"[^}]*} 0\\.0");
        });
    }

    @Test
    void projector_resumesWhereItsStoredOffsetsSay_notWhereKafkasCommittedOffsetsSay() throws Exception {
        String tenant = TestStack.newTenant();
        Orders.place(stack, tenant, "k1");
        awaitProjected(tenant);
        MessageListenerContainer projector = stack.services.processor().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("order-projector");
        String unseen;
        projector.stop();
        try {
            unseen = Orders.place(stack, tenant, "k2"); // in the log; the projector is stopped
            // PostgreSQL says it was applied: positions at the end of the log, Kafka's committed offsets behind
            Map<Integer, Long> end = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : evidence.readTopic("orders.events.v1")) {
                end.merge(record.partition(), record.offset() + 1, Math::max);
            }
            for (Map.Entry<Integer, Long> partition : end.entrySet()) {
                execute("INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset) "
                        + "VALUES ('order-projector', 'orders.events.v1', ?::int, ?::bigint) "
                        + "ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset",
                        partition.getKey().toString(), partition.getValue().toString());
            }
        } finally {
            projector.start();
        }
        String later = Orders.place(stack, tenant, "k3");
        await().atMost(Duration.ofSeconds(30)).until(() -> projectedInLiveTable(tenant, later));
        assertThat(projectedInLiveTable(tenant, unseen)).as("skipped: the stored position was past it").isFalse();

        OpsRun.Result missing = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.out()).contains("MISSING " + tenant + "/" + unseen);
        OpsRun.Result rebuild = OpsRun.run(withKafkaAndDb(stack, "projection", "rebuild"));
        assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
        assertThat(projectedInLiveTable(tenant, unseen)).isTrue();
    }

    static CommandLine.IFactory factory(Consumer<String> phases) {
        return new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == RebuildCommand.class ? (K) new RebuildCommand(phases)
                        : CommandLine.defaultFactory().create(type);
            }
        };
    }

    private static void awaitProjected(String tenant) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)));
    }

    private static boolean projectedInLiveTable(String tenant, String order) throws SQLException {
        return "1".equals(queryString("SELECT count(*)::text FROM orders WHERE tenant_id = ? AND order_id = ?",
                tenant, order));
    }

    private static void execute(String sql, String... parameters) throws SQLException {
        Sql.execute(stack, sql, parameters);
    }

    private static String queryString(String sql, String... parameters) throws SQLException {
        return Sql.queryString(stack, sql, parameters);
    }
}
