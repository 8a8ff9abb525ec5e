package io.orderstream.processor.projection;

import io.micrometer.tracing.Span;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Topics;
import io.orderstream.processor.tracing.KafkaTracing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Folds {@code orders.events.v1} (read committed) into PostgreSQL, a batch per poll. The position
 * in the log is stored in PostgreSQL in the same transaction as the rows ({@code projector_offsets}),
 * and the projector seeks there whenever it is assigned a partition: what is applied and what is
 * consumed never disagree. Offsets are committed to Kafka as well, after the transaction, so that
 * the usual tools show the group's lag; where the two differ, PostgreSQL wins.
 */
@Component
class OrderProjector implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(OrderProjector.class);

    /** The consumer group, also the key of the stored positions (the seek callback does not know it). */
    private static final String GROUP = "${spring.kafka.consumer.group-id:order-projector}";
    static final String WRITE_SPAN = "order-projector write";

    private final ProjectionRepository repository;
    private final ProjectionLag lag;
    private final String group;
    private final KafkaTracing tracing;

    OrderProjector(ProjectionRepository repository, ProjectionLag lag, @Value(GROUP) String group,
            KafkaTracing tracing) {
        this.repository = repository;
        this.lag = lag;
        this.group = group;
        this.tracing = tracing;
    }

    @KafkaListener(id = "order-projector", groupId = GROUP, topics = "orders.events.v1", batch = "true")
    void project(List<ConsumerRecord<String, byte[]>> records) {
        // a span per event, in its command's trace, for the transaction that writes the batch
        List<Span> spans = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            spans.add(tracing.consumer(WRITE_SPAN, record.topic(), record.headers()));
        }
        try {
            apply(records);
        } catch (RuntimeException failure) {
            spans.forEach(span -> span.error(failure));
            throw failure;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private void apply(List<ConsumerRecord<String, byte[]>> records) {
        List<ProjectionRepository.Located> events = new ArrayList<>(records.size());
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            try {
                EventEnvelope event = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(),
                        record.value());
                events.add(new ProjectionRepository.Located(record.topic(), record.partition(), record.offset(), event));
            } catch (RuntimeException unreadable) {
                // it stays in the event log; skipping it here keeps the projection moving, loudly
                log.error("unreadable event at {}-{}@{} skipped by the projector: {}", record.topic(),
                        record.partition(), record.offset(), unreadable.getMessage());
            }
        }
        ProjectionRepository.Outcome outcome = repository.apply(group, next, events);
        log.debug("projected {} of {} events, {} set aside", outcome.applied(), records.size(),
                outcome.setAside().size());
    }

    /**
     * Resumes each partition where the last committed transaction left it; a partition PostgreSQL has
     * no position for (a new or lost database) is projected from the start of the log, whatever
     * offsets the group has committed to Kafka.
     */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        lag.assigned(assignments.keySet());
        Map<TopicPartition, Long> stored;
        try {
            stored = repository.positions(group, assignments.keySet());
        } catch (RuntimeException databaseDown) {
            // the committed Kafka offsets never run ahead of PostgreSQL's, so starting there re-reads at
            // most a few events, which the (tenant, order, sequence) key recognises
            log.warn("projector positions unreadable ({}); resuming from the committed Kafka offsets",
                    databaseDown.getMessage());
            return;
        }
        stored.forEach((partition, offset) -> callback.seek(partition.topic(), partition.partition(), offset));
        List<TopicPartition> unknown = assignments.keySet().stream().filter(partition -> !stored.containsKey(partition))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        if (!unknown.isEmpty()) {
            callback.seekToBeginning(unknown);
            log.info("projector has no position stored in PostgreSQL for {}: projecting them from the start of the log",
                    unknown);
        }
        log.info("projector resumes at {} (positions stored in PostgreSQL)", stored);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        lag.forget(partitions);
    }
}
