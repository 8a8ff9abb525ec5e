package io.orderstream.processor.projection;

import io.orderstream.events.EventEnvelope;
import io.orderstream.projection.ProjectionWriter;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;

/** The harness's view of the projector's write path, as this build has it (the projection's one writer). */
final class Harness {

    private Harness() {
    }

    static ProjectionRepository repository(DataSource dataSource, ProjectionAlarms alarms) {
        return new ProjectionRepository(dataSource, alarms);
    }

    static Object located(String topic, int partition, long offset, EventEnvelope event) {
        return new ProjectionWriter.Located(topic, partition, offset, event);
    }

    @SuppressWarnings("unchecked")
    static void apply(ProjectionRepository repository, String group, Map<TopicPartition, Long> next, List<Object> events) {
        repository.apply(group, next, (List<ProjectionWriter.Located>) (List<?>) events);
    }
}
