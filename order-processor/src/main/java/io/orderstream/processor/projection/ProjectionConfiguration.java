package io.orderstream.processor.projection;

import io.orderstream.projection.WriteErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProjectionConfiguration.class);

    /** Read once, from {@code spring.kafka.consumer.group-id} ({@code ORDERS_PROJECTOR_GROUP}). */
    @Bean
    ProjectorGroup projectorGroup(KafkaProperties kafka) {
        return new ProjectorGroup(kafka.getConsumer().getGroupId());
    }

    /**
     * A batch that fails to apply (PostgreSQL down, say) is retried until it applies: skipping an
     * event would make the projection differ from the log for good. An event PostgreSQL refuses never
     * gets here: the repository sets it aside ({@link WriteErrors}).
     */
    @Bean
    CommonErrorHandler projectorErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, error) -> log.error(
                "projection gave up on {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                WriteErrors.describe(error)), backOff);
        // never the message of a data error: PostgreSQL quotes the value it refuses (customer data)
        handler.setRetryListeners((record, error, attempt) -> log.warn("projection attempt {} failed: {}", attempt,
                WriteErrors.describe(error)));
        return handler;
    }
}
