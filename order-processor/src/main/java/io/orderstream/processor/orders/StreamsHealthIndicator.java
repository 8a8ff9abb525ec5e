package io.orderstream.processor.orders;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * The command topology's health at {@code /actuator/health}: UP while Kafka Streams runs or
 * rebalances, DOWN when it has stopped or failed, so that a process that looks alive but processes
 * nothing is seen (and restarted) rather than trusted.
 */
@Component("streams")
class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsBuilderFactoryBean factory;

    StreamsHealthIndicator(StreamsBuilderFactoryBean factory, MeterRegistry registry) {
        this.factory = factory;
        Gauge.builder("orders.streams.running", this, indicator -> indicator.isRunning() ? 1 : 0)
                .description("1 while Kafka Streams runs or rebalances, 0 when it has stopped or failed")
                .register(registry);
    }

    private boolean isRunning() {
        KafkaStreams streams = factory.getKafkaStreams();
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    @Override
    public Health health() {
        KafkaStreams streams = factory.getKafkaStreams();
        if (streams == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = streams.state();
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING, CREATED -> Health.up();
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> Health.down();
        };
        return health.withDetail("state", state.name())
                .withDetail("threads", streams.metadataForLocalThreads().size())
                .build();
    }
}
