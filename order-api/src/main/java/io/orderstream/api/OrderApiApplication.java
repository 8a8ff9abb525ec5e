package io.orderstream.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The HTTP API. Its configuration file is {@code order-api.yml}, so that it can share a JVM
 * (local stack, end-to-end tests) with the processor without either reading the other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderApiApplication {

    public static final String CONFIG_NAME = "order-api";

    public static void main(String[] args) {
        builder().run(args);
    }

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(OrderApiApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
