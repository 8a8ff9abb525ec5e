package io.orderstream.api.config;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * {@code order-api.yml} as the API reads it, with a given environment: each of the API's own
 * settings ({@code orders.*}) has its default in {@link ApiProperties} only, and the file maps
 * environment variables onto them.
 */
class ApiPropertiesTest {

    private static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("ORDERS_RESULT_TIMEOUT", "PT2S"),
            Map.entry("ORDERS_MAX_WAITING_COMMANDS", "10"),
            Map.entry("ORDERS_RESULTS_MAX_BACKOFF", "3s"),
            Map.entry("ORDERS_RESULTS_UNREACHABLE_AFTER", "4s"),
            Map.entry("ORDERS_MAX_BODY_BYTES", "1024"),
            Map.entry("ORDERS_CORS_ALLOWED_ORIGINS", "https://shop.example.com,https://*.example.org"),
            Map.entry("ORDERS_CORS_ALLOWED_METHODS", "GET,POST"),
            Map.entry("ORDERS_CORS_ALLOWED_HEADERS", "Authorization,Idempotency-Key"),
            Map.entry("ORDERS_CORS_EXPOSED_HEADERS", "Location"),
            Map.entry("ORDERS_CORS_MAX_AGE", "10m"),
            Map.entry("ORDERS_TOPIC_PARTITIONS", "12"),
            Map.entry("ORDERS_TOPIC_REPLICATION_FACTOR", "3"),
            Map.entry("ORDERS_JWT_CLOCK_SKEW", "1s"));

    @Test
    void withoutEnvironment_everySettingHasTheDefaultOfItsRecord() {
        assertDefaults(bind(Map.of()));
    }

    @Test
    void variablesSetButEmpty_fallBackToTheDefaults_forEveryType() {
        Map<String, String> empty = new HashMap<>();
        VARIABLES.keySet().forEach(name -> empty.put(name, ""));

        assertDefaults(bind(empty));
    }

    @Test
    void everyVariable_setsItsSetting_inTheServicesSyntax() {
        ApiProperties properties = bind(VARIABLES);

        ApiProperties.Api api = properties.api();
        assertThat(api.resultTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(api.maxWaitingCommands()).isEqualTo(10);
        assertThat(api.results().maxBackoff()).isEqualTo(Duration.ofSeconds(3));
        assertThat(api.results().unreachableAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(api.maxBodyBytes()).isEqualTo(1024);
        assertThat(api.cors().allowedOrigins()).containsExactly("https://shop.example.com", "https://*.example.org");
        assertThat(api.cors().allowedMethods()).containsExactly("GET", "POST");
        assertThat(api.cors().allowedHeaders()).containsExactly("Authorization", "Idempotency-Key");
        assertThat(api.cors().exposedHeaders()).containsExactly("Location");
        assertThat(api.cors().maxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.topics().partitions()).isEqualTo(12);
        assertThat(properties.topics().replicationFactor()).isEqualTo((short) 3);
        assertThat(properties.security().clockSkew()).isEqualTo(Duration.ofSeconds(1));
    }

    /** One owner for each default: the file names the variable, the record the default. */
    @Test
    void theFile_givesNoDefaultOfItsOwn_toTheApisSettings() {
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

    private static void assertDefaults(ApiProperties properties) {
        ApiProperties.Api api = properties.api();
        assertThat(api.resultTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(api.maxWaitingCommands()).isEqualTo(1000);
        assertThat(api.results().maxBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.results().unreachableAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.maxBodyBytes()).isEqualTo(65536);
        assertThat(api.cors().allowedOrigins()).isEmpty();
        assertThat(api.cors().allowedMethods()).containsExactly("GET", "POST", "PUT", "OPTIONS");
        assertThat(api.cors().allowedHeaders())
                .containsExactly("Authorization", "Content-Type", "Idempotency-Key", "traceparent");
        assertThat(api.cors().exposedHeaders()).containsExactly("Idempotent-Replayed", "Location", "Retry-After");
        assertThat(api.cors().maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(properties.topics().partitions()).isEqualTo(6);
        assertThat(properties.topics().replicationFactor()).isEqualTo((short) 0);
        assertThat(properties.security().clockSkew()).isEqualTo(Duration.ofSeconds(5));
    }

    private static ApiProperties bind(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        // this machine's environment must not leak in: only the variables given
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
        yaml().forEach(sources::addLast);
        return Binder.get(environment).bindOrCreate("orders", Bindable.of(ApiProperties.class));
    }

    private static List<PropertySource<?>> yaml() {
        try {
            return new YamlPropertySourceLoader().load("order-api.yml", new ClassPathResource("order-api.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
