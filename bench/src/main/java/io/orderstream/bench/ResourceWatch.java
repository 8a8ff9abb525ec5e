package io.orderstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU and memory of each component while a step runs: CPU as cores used over the step (from
 * {@code /proc}), the most resident memory seen (RSS, and PSS for process trees such as
 * PostgreSQL's, whose shared buffers RSS would count once per backend), and for the Spring
 * services the most heap in use, scraped every 5 s from their Prometheus endpoint.
 */
public final class ResourceWatch implements AutoCloseable {

    /**
     * One component's figures over the watched step.
     *
     * @param cpuNanos the CPU time it used over the step (user + system)
     */
    public record Usage(String component, double cores, long cpuNanos, long maxRssBytes, long maxPssBytes,
            long maxHeapBytes) {

        /** Milliseconds of CPU per command, for {@code commands} answered in the step; NaN for none. */
        public double cpuMsPer(long commands) {
            return commands > 0 ? cpuNanos / 1e6 / commands : Double.NaN;
        }
    }

    private record Component(String name, long pid, String prometheusUrl, boolean alone) {

        ProcessStats.Sample sample() {
            return alone ? ProcessStats.sampleAlone(pid) : ProcessStats.sample(pid);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<Component> components = new ArrayList<>();
    private final Map<String, ProcessStats.Sample> first = new LinkedHashMap<>();
    private final Map<String, long[]> peaks = new LinkedHashMap<>(); // rss, pss, heap
    private ScheduledExecutorService sampler;
    private long startNanos;

    /** @param prometheusUrl the component's {@code /actuator/prometheus}, or {@code null} */
    public ResourceWatch add(String name, long pid, String prometheusUrl) {
        if (pid > 0) {
            components.add(new Component(name, pid, prometheusUrl, false));
        }
        return this;
    }

    /**
     * This JVM alone, its children that are components of their own left out; the tools it ran and
     * waited for (wrk, pgbench, redis-benchmark, ProducerPerformance) are in its {@code cutime}, so
     * a step's driver figure holds them once they have ended.
     */
    public ResourceWatch addSelf(String name) {
        components.add(new Component(name, ProcessHandle.current().pid(), null, true));
        return this;
    }

    public void start() {
        startNanos = System.nanoTime();
        for (Component component : components) {
            first.put(component.name(), component.sample());
            peaks.put(component.name(), new long[3]);
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "resource-watch"));
        sampler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private int samples;

    private synchronized void sample() {
        // the heap from the services' Prometheus text every 5 s only: parsing it costs this JVM (the
        // load driver, whose CPU per request the report gives) more than reading /proc does
        boolean heap = samples++ % 5 == 0;
        for (Component component : components) {
            ProcessStats.Sample now = component.sample();
            long[] peak = peaks.get(component.name());
            peak[0] = Math.max(peak[0], now.rssBytes());
            peak[1] = Math.max(peak[1], now.pssBytes());
            if (heap && component.prometheusUrl() != null) {
                peak[2] = Math.max(peak[2], heapUsed(component.prometheusUrl()));
            }
        }
    }

    /** Stops watching; the figures of the whole watched time. */
    public synchronized List<Usage> stop() throws InterruptedException {
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        samples = 0; // the last sample reads the heap too
        sample();
        Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
        List<Usage> usages = new ArrayList<>();
        for (Component component : components) {
            long[] peak = peaks.get(component.name());
            ProcessStats.Sample before = first.get(component.name());
            ProcessStats.Sample after = component.sample();
            usages.add(new Usage(component.name(), ProcessStats.cores(before, after, wall),
                    after.cpuNanos() - before.cpuNanos(), peak[0], peak[1], peak[2]));
        }
        return usages;
    }

    /** Sum of {@code jvm_memory_used_bytes{area="heap"}} over the heap's pools. */
    static long heapUsed(String prometheusUrl) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return (long) body.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
