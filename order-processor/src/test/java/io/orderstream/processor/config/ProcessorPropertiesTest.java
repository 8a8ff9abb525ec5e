package io.orderstream.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.ProcessorDefaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/**
 * {@code order-processor.yml} as the processor reads it, with a given environment: each of the
 * processor's own settings ({@code orders.*}) has its default in {@link ProcessorProperties} only,
 * and the file maps environment variables onto them.
 */
class ProcessorPropertiesTest {

    private static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("ORDERS_TOPIC_PARTITIONS", "12"),
            Map.entry("ORDERS_TOPIC_REPLICATION_FACTOR", "3"),
            Map.entry("ORDERS_IDEMPOTENCY_TTL", "PT2H"),
            Map.entry("ORDERS_IDEMPOTENCY_PURGE_INTERVAL", "30s"),
            Map.entry("ORDERS_IDEMPOTENCY_PURGE_BUDGET", "20ms"),
            Map.entry("ORDERS_IDEMPOTENCY_STORE", "in-memory"),
            Map.entry("ORDERS_IDEMPOTENCY_COMPRESS_ABOVE", "2KB"),
            Map.entry("ORDERS_IDEMPOTENCY_MAX_RESPONSE_SIZE", "1MB"),
            Map.entry("ORDERS_IDEMPOTENCY_MAX_CLOCK_SKEW", "5s"),
            Map.entry("ORDERS_METRICS_TENANTS", "acme,globex"),
            Map.entry("ORDERS_METRICS_MAX_TENANT_TAGS", "7"),
            Map.entry("ORDERS_COMMIT_REQUEST_SPACING", "4ms"));

    @Test
    void withoutEnvironment_everySettingHasTheDefaultOfItsRecord() {
        ProcessorProperties properties = bind(Map.of());

        assertDefaults(properties);
    }

    @Test
    void variablesSetButEmpty_fallBackToTheDefaults_forEveryType() {
        Map<String, String> empty = new HashMap<>();
        VARIABLES.keySet().forEach(name -> empty.put(name, ""));

        assertDefaults(bind(empty));
    }

    @Test
    void everyVariable_setsItsSetting_inTheServicesSyntax() {
        ProcessorProperties properties = bind(VARIABLES);

        assertThat(properties.topics().partitions()).isEqualTo(12);
        assertThat(properties.topics().replicationFactor()).isEqualTo((short) 3);
        ProcessorProperties.Idempotency idempotency = properties.idempotency();
        assertThat(idempotency.ttl()).isEqualTo(Duration.ofHours(2));
        assertThat(idempotency.purgeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(idempotency.purgeBudget()).isEqualTo(Duration.ofMillis(20));
        assertThat(idempotency.store()).isEqualTo(ProcessorProperties.Store.IN_MEMORY);
        assertThat(idempotency.compressAbove()).isEqualTo(DataSize.ofKilobytes(2));
        assertThat(idempotency.maxResponseSize()).isEqualTo(DataSize.ofMegabytes(1));
        assertThat(idempotency.maxClockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.metrics().tenants()).containsExactly("acme", "globex");
        assertThat(properties.metrics().maxTenantTags()).isEqualTo(7);
        assertThat(properties.commits().requestSpacing()).isEqualTo(Duration.ofMillis(4));
    }

    /** One owner for each default: the file names the variable, the record the default. */
    @Test
    void theFile_givesNoDefaultOfItsOwn_toTheProcessorsSettings() {
        Map<String, String> ours = new TreeMap<>();
        for (PropertySource<?> document : yaml()) {
            EnumerablePropertySource<?> properties = (EnumerablePropertySource<?>) document;
            for (String name : properties.getPropertyNames()) {
                if (name.startsWith("orders.")) {
                    ours.put(name, properties.getProperty(name).toString());
                }
            }
        }

        assertThat(ours).isNotEmpty().allSatisfy((name, value) -> assertThat(value).as(name)
                .matches("\\$\\{ORDERS_[A-Z_]+:}"));
    }

    /** orders-ops falls back to the same application id and projector group as the processor. */
    @Test
    void springsSettingsThatOrdersOpsReadsToo_defaultToTheSharedValues_andTakeTheSameVariables() {
        assertThat(spring(Map.of(), "spring.kafka.streams.application-id"))
                .isEqualTo(ProcessorDefaults.STREAMS_APPLICATION_ID);
        assertThat(spring(Map.of(), "spring.kafka.consumer.group-id")).isEqualTo(ProcessorDefaults.PROJECTOR_GROUP);

        assertThat(spring(Map.of("ORDERS_STREAMS_APPLICATION_ID", "blue"), "spring.kafka.streams.application-id"))
                .isEqualTo("blue");
        assertThat(spring(Map.of("ORDERS_PROJECTOR_GROUP", "blue-projector"), "spring.kafka.consumer.group-id"))
                .isEqualTo("blue-projector");
    }

    private static void assertDefaults(ProcessorProperties properties) {
        assertThat(properties.topics().partitions()).isEqualTo(6);
        assertThat(properties.topics().replicationFactor()).isEqualTo((short) 0);
        ProcessorProperties.Idempotency idempotency = properties.idempotency();
        assertThat(idempotency.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(idempotency.purgeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(idempotency.purgeBatch()).isEqualTo(1000);
        assertThat(idempotency.purgeBudget()).isEqualTo(Duration.ofMillis(50));
        assertThat(idempotency.store()).isEqualTo(ProcessorProperties.Store.PERSISTENT);
        assertThat(idempotency.compressAbove()).isEqualTo(DataSize.ofKilobytes(1));
        assertThat(idempotency.maxResponseSize()).isEqualTo(DataSize.ofKilobytes(256));
        assertThat(idempotency.maxClockSkew()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.metrics().tenants()).isEmpty();
        assertThat(properties.metrics().maxTenantTags()).isEqualTo(50);
        assertThat(properties.commits().requestSpacing()).isEqualTo(Duration.ZERO);
    }

    private static ProcessorProperties bind(Map<String, String> variables) {
        return Binder.get(environment(variables)).bindOrCreate("orders", Bindable.of(ProcessorProperties.class));
    }

    private static String spring(Map<String, String> variables, String name) {
        return Binder.get(environment(variables)).bind(name, String.class).orElse(null);
    }

    private static StandardEnvironment environment(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        // this machine's environment must not leak in: only the variables given
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
        yaml().forEach(sources::addLast);
        return environment;
    }

    private static List<PropertySource<?>> yaml() {
        try {
            return new YamlPropertySourceLoader().load("order-processor.yml", new ClassPathResource("order-processor.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
