package io.orderstream.processor.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records in {@code processor_settings} the idempotency window this processor decides with, before
 * Kafka Streams starts (beans are initialised before lifecycles start; Spring Boot migrates the
 * schema before any {@link JdbcTemplate} is used). {@code orders-ops} reads it to refuse replaying
 * commands older than the TTL. The last instance started wins: instances of one application run
 * with one setting.
 */
@Component
class RunningSettings implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(RunningSettings.class);

    private final JdbcTemplate jdbc;
    private final KafkaProperties kafka;
    private final ProcessorProperties properties;

    RunningSettings(JdbcTemplate jdbc, KafkaProperties kafka, ProcessorProperties properties) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        String applicationId = kafka.getStreams().getApplicationId();
        ProcessorProperties.Idempotency idempotency = properties.idempotency();
        jdbc.update("""
                INSERT INTO processor_settings (application_id, idempotency_ttl_ms, max_clock_skew_ms, written_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (application_id) DO UPDATE SET idempotency_ttl_ms = excluded.idempotency_ttl_ms,
                    max_clock_skew_ms = excluded.max_clock_skew_ms, written_at = excluded.written_at
                """, applicationId, idempotency.ttl().toMillis(), idempotency.maxClockSkew().toMillis());
        log.debug("recorded the idempotency TTL {} of application {} in processor_settings", idempotency.ttl(),
                applicationId);
    }
}
