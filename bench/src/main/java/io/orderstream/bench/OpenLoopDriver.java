package io.orderstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends requests at a fixed rate whatever the answers do (open loop). Each latency is measured
 * from the moment the request was due, not from when it was sent, so a stall shows in full
 * (coordinated-omission correction).
 */
public final class OpenLoopDriver {

    /** What one run measured. */
    public record Result(int offeredRate, long sent, long answered, Map<Integer, Long> statuses, Histogram latency,
            double seconds) {

        public double throughput() {
            return answered / seconds;
        }

        public String summary() {
            return String.format("rate %5d/s  answered %6d in %5.1f s (%7.1f/s)  p50 %7.2f ms  p99 %7.2f ms  "
                            + "p99.9 %7.2f ms  max %7.2f ms  statuses %s", offeredRate, answered, seconds, throughput(),
                    ms(50), ms(99), ms(99.9), latency.getMaxValue() / 1000.0, statuses);
        }

        public double ms(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param requests the i-th request to send
     */
    public Result run(int rate, Duration duration, LongFunction<HttpRequest> requests) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        AtomicLong answered = new AtomicLong();
        long total = rate * duration.toSeconds();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[(int) total];
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight[(int) i] = http.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                        statuses.merge(error == null ? response.statusCode() : 0, 1L, Long::sum);
                        answered.incrementAndGet();
                        return null;
                    });
        }
        CompletableFuture.allOf(inFlight).orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> null).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(rate, total, answered.get(), Map.copyOf(statuses), recorder.getIntervalHistogram(), seconds);
    }

    public static HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }
}
