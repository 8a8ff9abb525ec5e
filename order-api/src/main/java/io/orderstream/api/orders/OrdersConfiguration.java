package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.tracing.TraceSampling;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.TopicDefinitions;
import io.orderstream.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.LoggingProducerListener;

@Configuration(proxyBeanMethods = false)
class OrdersConfiguration {

    /** The API may start before the processor: it creates missing topics the same way. */
    @Bean
    KafkaAdmin.NewTopics orderTopics(ApiProperties properties) {
        return new KafkaAdmin.NewTopics(TopicDefinitions.all(properties.topics().partitions(),
                properties.topics().replicationFactor()).toArray(NewTopic[]::new));
    }

    /**
     * The API's one producer, of commands: {@code spring.kafka.producer} settings (and Boot's
     * customizers, its metrics among them), with the key and value serializers of
     * {@link Topics#COMMANDS}, the one definition of how a command is written.
     */
    @Bean
    DefaultKafkaProducerFactory<String, CommandEnvelope> commandProducerFactory(KafkaProperties kafka,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
        DefaultKafkaProducerFactory<String, CommandEnvelope> factory = new DefaultKafkaProducerFactory<>(
                kafka.buildProducerProperties(), Topics.COMMANDS.keySerde().serializer(),
                Topics.COMMANDS.valueSerde().serializer());
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    @Bean
    KafkaTemplate<String, CommandEnvelope> commandTemplate(
            DefaultKafkaProducerFactory<String, CommandEnvelope> commandProducerFactory, KafkaProperties kafka,
            TraceSampling tracing) {
        KafkaTemplate<String, CommandEnvelope> template = new KafkaTemplate<>(commandProducerFactory);
        // Boot's spring.kafka.template settings apply to its own template only: the send span of the
        // request's trace is switched on here (order-api.yml), when spans are exported at all. The
        // send's time is orders.api.command.stage{stage=send} either way
        template.setObservationEnabled(kafka.getTemplate().isObservationEnabled() && tracing.exports());
        // a failed send is logged without the record: a command carries customer data
        LoggingProducerListener<String, CommandEnvelope> failures = new LoggingProducerListener<>();
        failures.setIncludeContents(false);
        template.setProducerListener(failures);
        return template;
    }
}
