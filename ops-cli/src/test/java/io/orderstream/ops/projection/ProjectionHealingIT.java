package io.orderstream.ops.projection;

import static io.orderstream.ops.OpsRun.withKafkaAndDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderstream.events.Json;
import io.orderstream.local.Evidence;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import io.orderstream.ops.Orders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/** PostgreSQL lost, behind, ahead of the log or holding another history: the projection heals, or says so. */
class ProjectionHealingIT {

    private static TestStack stack;
    private static Evidence evidence;

    @BeforeAll
    static void startStack() {
        stack = TestStack.get();
        evidence = new Evidence(stack);
    }

    @Test
    void projectorWithNoStoredPosition_projectsFromTheStartOfTheLog_notFromKafkasCommittedOffsets() throws Exception {
        String tenant = TestStack.newTenant();
        String first = Orders.place(stack, tenant, "old-1");
        String second = Orders.place(stack, tenant, "old-2");
        Orders.changeStatus(stack, tenant, second, "old-2-move", "PROCESSING");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)).hasSize(2));

        // PostgreSQL loses the projection (its data removed): no rows, no stored positions; Kafka still has the
        // group's committed offsets, at the end of the log
        MessageListenerContainer projector = projector();
        projector.stop();
        try {
            Sql.execute(stack, "DELETE FROM order_events WHERE tenant_id = ?", tenant);
            Sql.execute(stack, "DELETE FROM orders WHERE tenant_id = ?", tenant);
            Sql.execute(stack, "DELETE FROM projector_offsets");
        } finally {
            projector.start();
        }
        assertThat(stack.api.getOrder(tenant, first).statusCode()).isEqualTo(404);

        // every older order comes back from the log, without any operator
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(stack.api.getOrder(tenant, first).statusCode()).isEqualTo(200);
            assertThat(stack.api.getOrder(tenant, second).body()).contains("\"status\":\"PROCESSING\"");
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)));
        OpsRun.Result verify = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
    }

    @Test
    void verify_namesAnotherEventAtTheSameSequence_andRebuildRepairsIt() throws Exception {
        String tenant = TestStack.newTenant();
        String order = Orders.place(stack, tenant, "k1");
        Orders.changeStatus(stack, tenant, order, "k1-move", "PROCESSING");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)).hasSize(1));
        String logged = Sql.queryString(stack, "SELECT event_id::text FROM order_events WHERE tenant_id = ? "
                + "AND order_id = ? AND sequence = 2", tenant, order);

        // PostgreSQL restored from another history: the same order, the same sequences, another event at #2
        String other = "00000000-0000-4000-8000-" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L);
        Sql.execute(stack, "UPDATE order_events SET event_id = ?::uuid WHERE tenant_id = ? AND order_id = ? "
                + "AND sequence = 2", other, tenant, order);

        OpsRun.Result verify = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).contains("DIFFERENT EVENT " + tenant + "/" + order + "#2: order_events holds event "
                + other + ", the event log " + logged).contains("DIFFERENT: 1 orders of tenant " + tenant);

        OpsRun.Result rebuild = OpsRun.run(withKafkaAndDb(stack, "projection", "rebuild"));
        assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
        OpsRun.Result repaired = OpsRun.run(withKafkaAndDb(stack, "projection", "verify", "--tenant", tenant));
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
    }

    @Test
    void databaseAheadOfTheLog_isReportedByTheProjector_andByVerify() throws Exception {
        String tenant = TestStack.newTenant();
        Orders.place(stack, tenant, "k1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(evidence.projectedOrders(tenant)).isEqualTo(evidence.foldOfEvents(tenant)).hasSize(1));
        // the positions of a database restored from a deployment whose log went further (or a recreated log)
        String partition = Sql.queryString(stack, "SELECT partition::text FROM projector_offsets "
                + "WHERE consumer_group = 'order-projector' ORDER BY partition LIMIT 1");
        String stored = Sql.queryString(stack, "SELECT next_offset::text FROM projector_offsets WHERE partition = ?::int "
                + "AND consumer_group = 'order-projector'", partition);
        Sql.execute(stack, "UPDATE projector_offsets SET next_offset = next_offset + 1000 WHERE partition = ?::int "
                + "AND consumer_group = 'order-projector'", partition);
        try {
            OpsRun.Result verify = OpsRun.run(withKafkaAndDb(stack, "projection", "verify"));
            assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
            assertThat(verify.out()).contains("AHEAD partition " + partition + ": the projector's stored position "
                    + (Long.parseLong(stored) + 1000) + " is beyond the end of the log")
                    .contains("AHEAD OF THE LOG: 1 partitions").contains("orders-ops projection rebuild");

            HttpClient http = HttpClient.newHttpClient();
            String processor = "http://localhost:" + stack.services.processorPort();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = http.send(HttpRequest.newBuilder(URI.create(processor + "/actuator/prometheus"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("(?m)^orders_projection_ahead_partitions(\\{[^}]*})? 1\\.0$");
                String health = http.send(HttpRequest.newBuilder(URI.create(processor + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                var details = Json.MAPPER.readTree(health).get("components").get("projection").get("details");
                assertThat(details.get("aheadOfLog").toString()).contains("orders.events.v1-" + partition)
                        .contains("stored position " + (Long.parseLong(stored) + 1000));
            });
        } finally {
            Sql.execute(stack, "UPDATE projector_offsets SET next_offset = ?::bigint WHERE partition = ?::int "
                    + "AND consumer_group = 'order-projector'", stored, partition);
        }
    }

    private static MessageListenerContainer projector() {
        return stack.services.processor().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("order-projector");
    }

}
