package io.orderstream.processor.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderstream.events.CommandResult;
import io.orderstream.idempotency.Lookup;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The processor's metrics in Micrometer, exposed at {@code /actuator/prometheus}:
 *
 * <ul>
 *   <li>{@code orders.idempotency.lookups{outcome=new|replay|mismatch|expired, tenant}}: hit rate is
 *       replays / lookups;</li>
 *   <li>{@code orders.idempotency.lookup.latency}: a histogram (p95, p99 via
 *       {@code histogram_quantile});</li>
 *   <li>{@code orders.idempotency.expirations}, {@code orders.idempotency.entries};</li>
 *   <li>{@code orders.commands.answered{outcome, replayed, tenant}}, {@code orders.commands.parked{error}}.</li>
 * </ul>
 *
 * The {@code tenant} tag stays bounded: the configured tenants, or else the first
 * {@code maxTenantTags} seen; every other tenant counts as {@code other}.
 */
final class MicrometerProcessorMetrics implements ProcessorMetrics {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<String> configuredTenants;
    private final int maxTenantTags;
    private final Set<String> taggedTenants = ConcurrentHashMap.newKeySet();
    private final Map<TaskId, Long> storeSizes = new ConcurrentHashMap<>();
    /** Counters by name and tags: finding one in the registry per command builds and sorts its tags each time. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer lookupLatency;
    private final Counter expirations;

    MicrometerProcessorMetrics(MeterRegistry registry, Collection<String> tenants, int maxTenantTags) {
        this.registry = registry;
        this.configuredTenants = Set.copyOf(tenants);
        this.maxTenantTags = maxTenantTags;
        this.lookupLatency = Timer.builder("orders.idempotency.lookup.latency")
                .description("Time to look up an idempotency key in the state store")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .serviceLevelObjectives(Duration.ofMillis(10))
                .register(registry);
        this.expirations = Counter.builder("orders.idempotency.expirations")
                .description("Idempotency records removed after their TTL").register(registry);
        Gauge.builder("orders.idempotency.entries", storeSizes,
                        sizes -> sizes.values().stream().mapToLong(Long::longValue).sum())
                .description("Approximate number of idempotency keys held by this instance's tasks")
                .register(registry);
    }

    @Override
    public void lookedUp(String scope, Lookup outcome, long nanos) {
        lookupLatency.record(nanos, TimeUnit.NANOSECONDS);
        String name;
        if (outcome instanceof Lookup.New fresh) {
            name = fresh.expired() ? "expired" : "new";
        } else {
            name = outcome instanceof Lookup.Replay ? "replay" : "mismatch";
        }
        String tenant = tenantTag(tenantOf(scope));
        counters.computeIfAbsent("lookups|" + name + "|" + tenant,
                id -> registry.counter("orders.idempotency.lookups", "outcome", name, "tenant", tenant)).increment();
    }

    @Override
    public void purged(int expired) {
        expirations.increment(expired);
    }

    @Override
    public void answered(String tenant, CommandResult.Outcome outcome, boolean replayed) {
        String tag = tenantTag(tenant);
        counters.computeIfAbsent("answered|" + outcome.name() + "|" + replayed + "|" + tag,
                id -> registry.counter("orders.commands.answered", "outcome", outcome.name().toLowerCase(),
                        "replayed", Boolean.toString(replayed), "tenant", tag)).increment();
    }

    @Override
    public void parked(String errorClass) {
        registry.counter("orders.commands.parked", "error", errorClass).increment();
    }

    @Override
    public void storeSize(TaskId task, long keys) {
        if (keys < 0) {
            storeSizes.remove(task);
        } else {
            storeSizes.put(task, keys);
        }
    }

    String tenantTag(String tenant) {
        if (!configuredTenants.isEmpty()) {
            return configuredTenants.contains(tenant) ? tenant : OTHER;
        }
        if (taggedTenants.contains(tenant)) {
            return tenant;
        }
        synchronized (taggedTenants) {
            if (taggedTenants.size() < maxTenantTags) {
                taggedTenants.add(tenant);
                return tenant;
            }
        }
        return taggedTenants.contains(tenant) ? tenant : OTHER;
    }

    private static String tenantOf(String scope) {
        int slash = scope.indexOf('/');
        return slash < 0 ? scope : scope.substring(0, slash);
    }
}
