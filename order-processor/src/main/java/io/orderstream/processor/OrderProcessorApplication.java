package io.orderstream.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The order processor: the Kafka Streams command topology and the PostgreSQL projector. Its
 * configuration file is {@code order-processor.yml}, so that it can share a JVM (local stack,
 * end-to-end tests) with the API without either reading the other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderProcessorApplication {

    public static final String CONFIG_NAME = "order-processor";

    public static void main(String[] args) {
        builder().run(args);
    }

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(OrderProcessorApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
