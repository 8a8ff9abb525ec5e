package io.orderstream.processor.orders;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderstream.events.TopicDefinitions;
import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.processor.config.ProcessorProperties;
import io.orderstream.processor.tracing.KafkaTracing;
import java.time.Duration;
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
            MeterRegistry registry, KafkaTracing tracing) {
        ProcessorMetrics metrics = new MicrometerProcessorMetrics(registry, properties.metrics().tenants(),
                properties.metrics().maxTenantTags());
        return OrderTopology.define(builder, topologySettings(properties.idempotency(), metrics, tracing,
                properties.commits().requestSpacing()));
    }

    static TopologySettings topologySettings(ProcessorProperties.Idempotency idempotency, ProcessorMetrics metrics,
            CommandTracing tracing, Duration commitRequestSpacing) {
        return new TopologySettings(new IdempotencyPolicy(idempotency.ttl(),
                Math.toIntExact(idempotency.compressAbove().toBytes()),
                Math.toIntExact(idempotency.maxResponseSize().toBytes())), idempotency.purgeInterval(),
                idempotency.purgeBatch(), idempotency.purgeBudget(), idempotency.store() == ProcessorProperties.Store.PERSISTENT,
                idempotency.maxClockSkew(), metrics, tracing, new CommitRequests(commitRequestSpacing));
    }

    /** Creates the topics when missing, before the topology starts (it refuses to run without them). */
    @Bean
    KafkaAdmin.NewTopics orderTopics(ProcessorProperties properties) {
        return new KafkaAdmin.NewTopics(TopicDefinitions.all(properties.topics().partitions(),
                properties.topics().replicationFactor()).toArray(NewTopic[]::new));
    }

    /**
     * Bad records never reach here (the topology parks them); what does is the infrastructure
     * failing under a stream thread (a broker restarting, say). The thread is replaced, its
     * transaction aborted, nothing half-applied. Failing again and again means it will not heal:
     * then the client stops, and health reports DOWN rather than a process that looks alive and
     * does nothing.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer uncaughtErrors() {
        ThreadFailures failures = new ThreadFailures(3, Duration.ofMinutes(5));
        return factory -> factory.setStreamsUncaughtExceptionHandler(error -> {
            if (failures.tooMany(System.currentTimeMillis())) {
                log.error("Kafka Streams stopped: stream threads keep failing", error);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.warn("a stream thread failed and is replaced: {}", error.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Counts failures in a sliding window. */
    static final class ThreadFailures {
        private final int limit;
        private final long windowMs;
        private final java.util.ArrayDeque<Long> times = new java.util.ArrayDeque<>();

        ThreadFailures(int limit, Duration window) {
            this.limit = limit;
            this.windowMs = window.toMillis();
        }

        /** Records a failure at {@code now}; true when it makes more than {@code limit} in the window. */
        synchronized boolean tooMany(long now) {
            times.addLast(now);
            while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
                times.removeFirst();
            }
            return times.size() > limit;
        }
    }
}
