package io.orderstream.processor.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Folds {@code orders.events.v1} (read committed) into PostgreSQL, a batch per poll. Offsets are
 * committed after the batch's transaction, so a crash in between redelivers events that the
 * repository then recognises and skips.
 */
@Component
class OrderProjector {

    private static final Logger log = LoggerFactory.getLogger(OrderProjector.class);

    private final ProjectionRepository repository;

    OrderProjector(ProjectionRepository repository) {
        this.repository = repository;
    }

    @KafkaListener(id = "order-projector", topics = "orders.events.v1", batch = "true")
    void project(List<ConsumerRecord<String, byte[]>> records) {
        List<EventEnvelope> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            } catch (RuntimeException unreadable) {
                // it stays in the event log; skipping it here keeps the projection moving, loudly
                log.error("unreadable event at {}-{}@{} skipped by the projector: {}", record.topic(),
                        record.partition(), record.offset(), unreadable.getMessage());
            }
        }
        int applied = repository.apply(events);
        log.debug("projected {} of {} events", applied, records.size());
    }
}
