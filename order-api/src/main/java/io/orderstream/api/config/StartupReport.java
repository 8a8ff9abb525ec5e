package io.orderstream.api.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One line at start saying what the API is connected to and how it authenticates and answers.
 * No secrets: the JWT secret is named, never shown; the database URL loses its query string.
 */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final KafkaProperties kafka;
    private final ApiProperties properties;
    private final Environment environment;

    StartupReport(KafkaProperties kafka, ApiProperties properties, Environment environment) {
        this.kafka = kafka;
        this.properties = properties;
        this.environment = environment;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        ApiProperties.Security security = properties.security();
        String tokens = present(security.jwtSecret()) ? "HS256 with the shared secret (ORDERS_JWT_SECRET)"
                : present(security.jwkSetUri()) ? "JWK set " + security.jwkSetUri()
                + (present(security.issuerUri()) ? ", issuer " + security.issuerUri() : "")
                : "issuer " + security.issuerUri();
        String url = environment.getProperty("spring.datasource.url", "(none)");
        int query = url.indexOf('?');
        log.info("order-api ready: Kafka {}; PostgreSQL {}; tokens: {}, tenant from claim 'tenant'; a command waits "
                        + "{} for its result, then 202; Idempotency-Key required on POST/PUT, deduplicated by the processor",
                String.join(",", kafka.getBootstrapServers()), query < 0 ? url : url.substring(0, query), tokens,
                properties.api().resultTimeout());
    }
}
