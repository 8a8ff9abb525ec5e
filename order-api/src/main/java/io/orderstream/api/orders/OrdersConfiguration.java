package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.events.TopicDefinitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

@Configuration(proxyBeanMethods = false)
class OrdersConfiguration {

    /** The API may start before the processor: it creates missing topics the same way. */
    @Bean
    KafkaAdmin.NewTopics orderTopics(ApiProperties properties) {
        return new KafkaAdmin.NewTopics(TopicDefinitions.all(properties.topics().partitions(),
                properties.topics().replicationFactor()).toArray(NewTopic[]::new));
    }
}
