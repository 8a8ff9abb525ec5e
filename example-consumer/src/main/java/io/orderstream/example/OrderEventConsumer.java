package io.orderstream.example;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A downstream service's consumer of {@code orders.events.v1}, with nothing but kafka-clients:
 *
 * <ol>
 *   <li>reads committed records only ({@code isolation.level=read_committed}), from the beginning of
 *       the log for a new group;</li>
 *   <li>applies an event only when its {@code sequence} is beyond the last one applied to that order
 *       ({@link OrderViewStore}); anything at or below it is a redelivery and is skipped;</li>
 *   <li>saves its store, then commits the offsets: a crash between the two redelivers events that
 *       step 2 skips. At least once from Kafka, exactly once in effect.</li>
 * </ol>
 */
public final class OrderEventConsumer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OrderEventConsumer.class.getName());

    private final KafkaConsumer<String, byte[]> consumer;
    private final OrderViewStore store;
    private long applied;
    private long skipped;

    public OrderEventConsumer(String bootstrapServers, String groupId, OrderViewStore store) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.store = store;
        consumer.subscribe(List.of(Topics.EVENTS.name()));
    }

    /** Polls once, applies what is new, saves the store, commits. Returns the events applied. */
    public int pollOnce(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        int appliedNow = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            appliedNow += handle(record) ? 1 : 0;
        }
        if (!records.isEmpty()) {
            store.save();
            consumer.commitSync();
        }
        return appliedNow;
    }

    /** Goes back to the start of every assigned partition: what a lost commit or a rebalance causes. */
    public void rewindAssigned() {
        consumer.seekToBeginning(consumer.assignment());
    }

    /** Whether this consumer has partitions and has read each to its last committed record. */
    public boolean caughtUp() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        return !assigned.isEmpty() && assigned.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    public long applied() {
        return applied;
    }

    public long skipped() {
        return skipped;
    }

    private boolean handle(ConsumerRecord<String, byte[]> record) {
        EventEnvelope event;
        try {
            // the schema-aware read path: version-1 events arrive upcast to the newest shape
            event = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException unreadable) {
            // a newer schema version than this consumer knows: stop rather than skip a fact
            throw new IllegalStateException("cannot read event at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + "; upgrade this consumer", unreadable);
        }
        String key = event.key().toString();
        long last = store.get(key).map(OrderView::lastSequence).orElse(0L);
        if (event.sequence() <= last) {
            skipped++;
            return false;
        }
        if (event.sequence() != last + 1) {
            LOG.log(System.Logger.Level.WARNING, "order {0}: event {1} follows {2}; events in between were "
                    + "not seen by this consumer", key, event.sequence(), last);
        }
        store.put(key, apply(store.get(key).orElse(null), event));
        applied++;
        return true;
    }

    /** The business effect: here, a view of each order's status. */
    private static OrderView apply(OrderView before, EventEnvelope event) {
        if (event.event() instanceof OrderEvent.OrderStatusChanged changed) {
            return new OrderView(changed.to(), event.sequence(), changed.actor(), event.occurredAt());
        }
        String actor = before == null ? null : before.lastActor();
        return new OrderView(OrderStatus.PENDING, event.sequence(), actor, event.occurredAt());
    }

    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** {@code java … OrderEventConsumer <bootstrap servers> <group id> <store file>}; Ctrl-C stops it. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: OrderEventConsumer <bootstrap-servers> <group-id> <store.json>");
            System.exit(2);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        try (OrderEventConsumer consumer = new OrderEventConsumer(args[0], args[1], OrderViewStore.open(
                Path.of(args[2])))) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.set(false);
                consumer.wakeup();
                try {
                    main.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            while (running.get()) {
                int appliedNow = consumer.pollOnce(Duration.ofSeconds(1));
                if (appliedNow > 0) {
                    LOG.log(System.Logger.Level.INFO, "applied {0} events ({1} redelivered ones skipped so far)",
                            appliedNow, consumer.skipped());
                }
            }
        } catch (WakeupException stopping) {
            // Ctrl-C
        }
    }
}
