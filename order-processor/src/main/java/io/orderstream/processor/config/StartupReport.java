package io.orderstream.processor.config;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One line at start saying what the processor is connected to and the idempotency policy in
 * force, the way a deployment log confirms its store. No secrets: the database URL loses its
 * query string.
 */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final KafkaProperties kafka;
    private final ProcessorProperties properties;
    private final Environment environment;

    StartupReport(KafkaProperties kafka, ProcessorProperties properties, Environment environment) {
        this.kafka = kafka;
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        log.info(line());
    }

    String line() {
        Map<String, String> streams = kafka.getStreams().getProperties();
        ProcessorProperties.Idempotency idempotency = properties.idempotency();
        return String.format("order-processor ready: Kafka %s; PostgreSQL %s; Streams application '%s', %s, commit "
                        + "interval %s ms, %s stream thread(s), %s standby replica(s); idempotency store %s "
                        + "(changelogged), TTL %s, max clock skew %s, compress above %s, largest response %s; topics "
                        + "with %d partitions",
                String.join(",", kafka.getBootstrapServers()), withoutQuery(environment.getProperty("spring.datasource.url")),
                kafka.getStreams().getApplicationId(), streams.getOrDefault("processing.guarantee", "at_least_once"),
                streams.getOrDefault("commit.interval.ms", "?"), streams.getOrDefault("num.stream.threads", "1"),
                streams.getOrDefault("num.standby.replicas", "0"),
                idempotency.store() == ProcessorProperties.Store.PERSISTENT ? "persistent (RocksDB)" : "in-memory", idempotency.ttl(),
                idempotency.maxClockSkew(), idempotency.compressAbove(), idempotency.maxResponseSize(), properties.topics().partitions());
    }

    static String withoutQuery(String url) {
        if (url == null) {
            return "(none)";
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
