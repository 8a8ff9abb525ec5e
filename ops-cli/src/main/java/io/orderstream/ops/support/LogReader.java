package io.orderstream.ops.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic's committed records between offsets, partition by partition in log order, without
 * a consumer group (assign and seek: nothing is committed, nobody else is disturbed).
 */
public final class LogReader implements AutoCloseable {

    private static final Duration STALL = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<TopicPartition> partitions;

    public LogReader(KafkaOptions kafka, String topic) {
        this.consumer = kafka.reader("reader-" + topic);
        this.topic = topic;
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                throw OpsException.error("topic " + topic + " does not exist on " + kafka.bootstrapServers()
                        + " (the services create it when they start)");
            }
            List<TopicPartition> list = new ArrayList<>();
            infos.forEach(info -> list.add(new TopicPartition(topic, info.partition())));
            list.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            this.partitions = List.copyOf(list);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        consumer.assign(partitions);
    }

    public String topic() {
        return topic;
    }

    public List<TopicPartition> partitions() {
        return partitions;
    }

    public Map<TopicPartition, Long> beginningOffsets() {
        return consumer.beginningOffsets(partitions);
    }

    /** The end of what is committed: the last stable offset of each partition. */
    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions);
    }

    /** Per partition, the first offset whose timestamp is at or after {@code time}; the end where there is none. */
    public Map<TopicPartition, Long> offsetsAt(Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = endOffsets();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp hit = found.get(partition);
            offsets.put(partition, hit == null ? end.get(partition) : Math.min(hit.offset(), end.get(partition)));
        }
        return offsets;
    }

    /** How many offsets lie between {@code from} and {@code to}: records, plus any transaction markers. */
    public static long span(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        long span = 0;
        for (Map.Entry<TopicPartition, Long> end : to.entrySet()) {
            span += Math.max(0, end.getValue() - from.getOrDefault(end.getKey(), 0L));
        }
        return span;
    }

    /** Offsets by partition number, in order: {@code {0=12, 1=7}}. */
    public static String describe(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new TreeMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
        return byPartition.toString();
    }

    /**
     * Hands every committed record at offsets {@code [from, to)} of each partition to {@code handler},
     * in log order within a partition; returns how many. Fails when the log stops advancing for 30 s.
     */
    public long read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        return readBatches(from, to, batch -> batch.forEach(handler));
    }

    /** As {@link #read}, a poll's records at a time (in log order within each partition). */
    public long readBatches(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
            Consumer<List<ConsumerRecord<byte[], byte[]>>> handler) {
        List<TopicPartition> pending = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            long start = from.getOrDefault(partition, 0L);
            if (start < to.getOrDefault(partition, 0L)) {
                consumer.seek(partition, start);
                pending.add(partition);
            }
        }
        consumer.pause(partitions);
        consumer.resume(pending);
        long count = 0;
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                    batch.add(record);
                }
            }
            if (!batch.isEmpty()) {
                handler.accept(batch);
                count += batch.size();
            }
            boolean moved = !records.isEmpty();
            for (var it = pending.iterator(); it.hasNext();) {
                TopicPartition partition = it.next();
                if (consumer.position(partition) >= to.get(partition)) {
                    consumer.pause(List.of(partition));
                    it.remove();
                    moved = true;
                }
            }
            if (moved) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw OpsException.error("reading " + topic + " made no progress for " + STALL.toSeconds()
                        + " s; still waiting for " + pending);
            }
        }
        return count;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
