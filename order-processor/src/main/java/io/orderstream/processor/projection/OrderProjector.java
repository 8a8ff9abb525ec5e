package io.orderstream.processor.projection;

import io.micrometer.tracing.Span;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Topics;
import io.orderstream.processor.tracing.KafkaTracing;
import io.orderstream.projection.ProjectionWriter;
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

    static final String WRITE_SPAN = "order-projector write";

    private final ProjectionRepository repository;
    private final ProjectionLag lag;
    private final ProjectionAlarms alarms;
    private final String group;
    private final KafkaTracing tracing;

    OrderProjector(ProjectionRepository repository, ProjectionLag lag, ProjectionAlarms alarms, ProjectorGroup group,
            KafkaTracing tracing) {
        this.repository = repository;
        this.lag = lag;
        this.alarms = alarms;
        this.group = group.id();
        this.tracing = tracing;
    }

    /** The group is the consumer factory's ({@link ProjectorGroup}), not the listener's id. */
    @KafkaListener(id = "order-projector", idIsGroup = false, topics = "#{T(io.orderstream.events.Topics).EVENTS.name()}",
            batch = "true")
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
        List<ProjectionWriter.Located> events = new ArrayList<>(records.size());
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            try {
                EventEnvelope event = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(),
                        record.value());
                events.add(new ProjectionWriter.Located(record.topic(), record.partition(), record.offset(), event));
            } catch (RuntimeException unreadable) {
                // it stays in the event log, names no order to hold back, and is counted and shown
                alarms.unreadableEvent(record.topic() + "-" + record.partition() + "@" + record.offset(), unreadable);
            }
        }
        ProjectionWriter.Outcome outcome = repository.apply(group, next, events);
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
            // the committed Kafka offsets cannot be trusted here: the database may be a new or restored
            // one that holds less than they say. The start of the log is always right: every event
            // already projected is recognised by (tenant, order, sequence) and changes nothing, and the
            // batches wait for PostgreSQL as usual
            log.warn("projector positions unreadable ({}); projecting {} from the start of the log",
                    databaseDown.getClass().getSimpleName(), assignments.keySet());
            callback.seekToBeginning(assignments.keySet());
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
