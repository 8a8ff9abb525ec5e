package io.orderstream.ops.support;

import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits for the results of commands this tool sends, on {@code orders.command-results.v1} (read
 * committed: a result is there once the processor's transaction is). Open it before sending, so
 * that it reads from the end of the topic as it was then.
 */
public final class ResultWatcher implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;

    public ResultWatcher(KafkaOptions kafka) {
        this.consumer = kafka.reader("results");
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.COMMAND_RESULTS.name(), Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            consumer.close(Duration.ZERO);
            throw OpsException.error("topic " + Topics.COMMAND_RESULTS.name() + " does not exist (the services create "
                    + "it when they start)");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fixes the start now, before anything is sent
    }

    /** The results for these request ids, as many as arrive within {@code timeout}; by request id. */
    public Map<String, CommandResult> await(Set<String> requestIds, Duration timeout, Progress progress) {
        Set<String> waiting = new HashSet<>(requestIds);
        Map<String, CommandResult> results = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                CommandResult result;
                try {
                    result = Json.read(record.value(), CommandResult.class);
                } catch (RuntimeException notOurs) {
                    continue;
                }
                if (waiting.remove(result.requestId())) {
                    results.put(result.requestId(), result);
                    progress.advance(1);
                }
            }
        }
        return results;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
