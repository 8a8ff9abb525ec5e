package io.orderstream.processor.orders;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderstream.events.TopicDefinitions;
import io.orderstream.processor.config.ProcessorProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.KStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/** Wires {@link OrderTopology} into Spring's Kafka Streams support. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StreamsConfiguration.class);

    @Bean
    KStream<byte[], Routed> orderCommandPath(StreamsBuilder builder, ProcessorProperties properties,
            MeterRegistry registry) {
        ProcessorMetrics metrics = new MicrometerProcessorMetrics(registry, properties.metrics().tenants(),
                properties.metrics().maxTenantTags());
        return OrderTopology.define(builder, properties.topologySettings(metrics));
    }

    /** Creates the topics when missing, before the topology starts (it refuses to run without them). */
    @Bean
    KafkaAdmin.NewTopics orderTopics(ProcessorProperties properties) {
        return new KafkaAdmin.NewTopics(TopicDefinitions.all(properties.topics().partitions(),
                properties.topics().replicationFactor()).toArray(NewTopic[]::new));
    }

    /**
     * An error that escapes processing is not one a retry of the same record can fix (those are
     * handled in the topology): stop the client, so that health shows it instead of a process that
     * looks alive and does nothing. The transaction in flight aborts; nothing is half-applied.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer uncaughtErrorsStopTheClient() {
        return factory -> factory.setStreamsUncaughtExceptionHandler(error -> {
            log.error("Kafka Streams stopped by an unrecoverable error", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }
}
