package io.orderstream.local;

import io.orderstream.api.OrderApiApplication;
import io.orderstream.processor.OrderProcessorApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The processor and the API, each its own Spring application context in this JVM, pointed at the
 * given broker and database. Settings are passed as command-line properties, so they override
 * both services' configuration files.
 */
public final class Services implements AutoCloseable {

    /**
     * @param apiPort           0 for any free port
     * @param apiManagementPort the API's health and metrics; 0 for any free port
     * @param processorPort     the processor's health and metrics; 0 for any free port
     * @param extra             further properties for both services
     */
    public record Settings(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword, String jwtSecret,
            int apiPort, int apiManagementPort, int processorPort, Path streamsStateDir, Map<String, String> extra) {

        /** The API's management port on any free port. */
        public Settings(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword, String jwtSecret,
                int apiPort, int processorPort, Path streamsStateDir, Map<String, String> extra) {
            this(bootstrapServers, jdbcUrl, dbUser, dbPassword, jwtSecret, apiPort, 0, processorPort, streamsStateDir,
                    extra);
        }
    }

    private final Map<String, String> processorArgs;
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers;
    private volatile ConfigurableApplicationContext processor;
    private final ConfigurableApplicationContext api;

    private Services(Map<String, String> processorArgs,
            List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers,
            ConfigurableApplicationContext processor, ConfigurableApplicationContext api) {
        this.processorArgs = processorArgs;
        this.initializers = initializers;
        this.processor = processor;
        this.api = api;
    }

    public static Services start(Settings settings) {
        return start(settings, List.of());
    }

    /**
     * Both services, each context prepared by the {@code initializers} before it is refreshed (for
     * instance to add a bean that Boot's auto-configuration picks up, such as a span exporter).
     */
    public static Services start(Settings settings,
            List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
        Map<String, String> processorArgs = processorArgs(settings);
        ConfigurableApplicationContext processor = startProcessor(processorArgs, initializers);
        try {
            return new Services(processorArgs, initializers, processor, startApi(settings, initializers));
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
    }

    /** A processor alone (for instance a second instance of a scaled-out deployment). */
    public static ConfigurableApplicationContext startProcessor(Settings settings) {
        return startProcessor(processorArgs(settings), List.of());
    }

    /** An API alone (for instance a second instance behind the same topics). */
    public static ConfigurableApplicationContext startApi(Settings settings) {
        return startApi(settings, List.of());
    }

    /** An API alone, its context prepared by the {@code initializers} before it is refreshed. */
    public static ConfigurableApplicationContext startApi(Settings settings,
            List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
        Map<String, String> apiArgs = commonArgs(settings);
        apiArgs.put("server.port", Integer.toString(settings.apiPort()));
        apiArgs.put("management.server.port", Integer.toString(settings.apiManagementPort()));
        apiArgs.put("orders.security.jwt-secret", settings.jwtSecret());
        return OrderApiApplication.builder().initializers(initializers.toArray(ApplicationContextInitializer[]::new))
                .registerShutdownHook(false).run(args(apiArgs));
    }

    private static Map<String, String> commonArgs(Settings settings) {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("spring.kafka.bootstrap-servers", settings.bootstrapServers());
        common.put("spring.datasource.url", settings.jdbcUrl());
        common.put("spring.datasource.username", settings.dbUser());
        common.put("spring.datasource.password", settings.dbPassword());
        common.putAll(settings.extra());
        return common;
    }

    private static Map<String, String> processorArgs(Settings settings) {
        Map<String, String> processorArgs = commonArgs(settings);
        processorArgs.put("server.port", Integer.toString(settings.processorPort()));
        processorArgs.put("spring.kafka.streams.state-dir", settings.streamsStateDir().toString());
        return processorArgs;
    }

    private static ConfigurableApplicationContext startProcessor(Map<String, String> processorArgs,
            List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
        return OrderProcessorApplication.builder()
                .initializers(initializers.toArray(ApplicationContextInitializer[]::new))
                .registerShutdownHook(false).run(args(processorArgs));
    }

    public static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /**
     * Stops the processor and starts a new one on the given state directory. An empty directory
     * makes it restore every store from its changelog, as on a new machine or after a task moved.
     */
    public synchronized void restartProcessor(Path streamsStateDir) {
        processor.close();
        Map<String, String> restart = new LinkedHashMap<>(processorArgs);
        restart.put("spring.kafka.streams.state-dir", streamsStateDir.toString());
        processor = startProcessor(restart, initializers);
    }

    private static String[] args(Map<String, String> properties) {
        List<String> args = new ArrayList<>();
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return args.toArray(String[]::new);
    }

    public int apiPort() {
        return port(api);
    }

    /** The API's management port: health and metrics. */
    public int apiManagementPort() {
        return managementPort(api);
    }

    /** An API's management port: health and metrics (its own port serves no {@code /actuator} path). */
    public static int managementPort(ConfigurableApplicationContext api) {
        return Integer.parseInt(api.getEnvironment().getRequiredProperty("local.management.port"));
    }

    /** The processor's one port: health and metrics. */
    public int processorPort() {
        return port(processor);
    }

    public ConfigurableApplicationContext processor() {
        return processor;
    }

    public ConfigurableApplicationContext api() {
        return api;
    }

    /** Stops the API first (no new commands), then the processor. */
    @Override
    public void close() {
        try {
            api.close();
        } finally {
            processor.close();
        }
    }
}
