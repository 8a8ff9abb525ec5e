package io.orderstream.ops.bench;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.TopicDefinitions;
import io.orderstream.events.Topics;
import io.orderstream.local.LocalKafka;
import io.orderstream.local.LocalPostgres;
import io.orderstream.ops.OrdersOps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;

/**
 * How fast {@code projection rebuild} is: starts a real KRaft broker and PostgreSQL (nothing else,
 * so nothing competes for the machine), migrates the schema as the processor would, writes N valid
 * synthetic events (orders of four events each: placed, processing, shipped, delivered) to
 * {@code orders.events.v1}, then runs {@code orders-ops projection rebuild} in this JVM and reports
 * events per second. Run it with:
 *
 * <pre>mvn -B -q -Prebuild-benchmark -pl ops-cli -am -DskipTests verify -Dbench.events=1000000</pre>
 */
public final class RebuildBenchmark {

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createTempDirectory("order-stream-bench-");
        try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
                LocalPostgres postgres = LocalPostgres.start(0, work.resolve("postgres"))) {
            Flyway.configure().dataSource(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD)
                    .locations("classpath:db/migration").load().migrate();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                admin.createTopics(TopicDefinitions.all(6, (short) 1)).all().get();
            }
            long written = System.nanoTime();
            write(kafka.bootstrapServers(), events);
            System.out.printf("bench: wrote %,d events in %.1f s%n", events, (System.nanoTime() - written) / 1e9);

            long started = System.nanoTime();
            int exit = OrdersOps.commandLine().execute("projection", "rebuild",
                    "--bootstrap-servers=" + kafka.bootstrapServers(), "--db-url=" + postgres.jdbcUrl(),
                    "--db-user=" + LocalPostgres.USER, "--db-password=" + LocalPostgres.PASSWORD);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("bench: projection rebuild of %,d events: exit %d, %.1f s in all, %,d events/s "
                    + "(%d cores, %s)%n", events, exit, seconds, Math.round(events / seconds),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
            if (exit != 0) {
                System.exit(exit);
            }
        }
    }

    private static void write(String bootstrapServers, int count) throws Exception {
        List<OrderStatus> path = List.of(OrderStatus.PENDING, OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                OrderStatus.DELIVERED);
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                int order = i / path.size();
                int step = i % path.size();
                String tenant = "bench" + (order % 20);
                String orderId = "order-" + order;
                OrderEvent event = step == 0
                        ? new OrderEvent.OrderPlaced("customer-" + order, "EUR", List.of(new OrderLine("SKU-1", 2, 1999),
                                new OrderLine("SKU-2", 1, 4500)), 8498)
                        : new OrderEvent.OrderStatusChanged(path.get(step - 1), path.get(step), "step " + step);
                String key = tenant + "/" + orderId;
                EventEnvelope envelope = new EventEnvelope(SchemaVersions.EVENT,
                        UUID.nameUUIDFromBytes((key + "#" + (step + 1)).getBytes(StandardCharsets.UTF_8)).toString(),
                        tenant, orderId, step + 1, start.plusMillis(i), UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(), "key-" + order + "-" + step, event);
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key.getBytes(StandardCharsets.UTF_8),
                        Json.write(envelope)));
            }
            producer.flush();
        }
    }
}
