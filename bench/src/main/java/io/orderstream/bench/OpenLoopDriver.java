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
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HTTP load in two shapes. Open loop: requests go out at a fixed rate whatever the answers do, and
 * each latency is measured from the moment the request was due, not from when it was sent, so a
 * stall shows in full (coordinated-omission correction). Closed loop: a fixed number of clients,
 * each sending its next request when its last was answered, for the most the system sustains.
 */
public final class OpenLoopDriver {

    /** One request and what to do with its answer (called once, on an HTTP client thread). */
    public interface Call {
        HttpRequest request();

        /** @param response the answer, or {@code null} with {@code error} set */
        default void answered(HttpResponse<?> response, Throwable error) {
        }
    }

    /**
     * What one run measured. Requests not answered by the deadline are recorded at the deadline
     * (their latency is at least that) and counted under status 0, as are transport errors.
     * {@code notSent}: requests of an open-loop step never sent because it stopped early, its
     * backlog grown past two seconds' worth.
     */
    public record Result(int offeredRate, int clients, long sent, long answered, Map<Integer, Long> statuses,
            Histogram latency, double seconds, long notSent) {

        /** Answers per second, whatever their status. */
        public double throughput() {
            return answered / seconds;
        }

        public String summary() {
            return String.format("%s  answered %6d in %5.1f s (%7.1f/s)  p50 %7.2f ms  p99 %7.2f ms  "
                            + "p99.9 %7.2f ms  max %7.2f ms  statuses %s",
                    offeredRate > 0 ? String.format("rate %5d/s", offeredRate) : "closed loop, " + clients + " clients",
                    answered, seconds, throughput(), ms(50), ms(99), ms(99.9), latency.getMaxValue() / 1000.0,
                    statuses);
        }

        public double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /** Open loop; waits up to 60 s for the last answers. */
    public Result run(int rate, Duration duration, LongFunction<HttpRequest> requests) throws InterruptedException {
        return run(rate, duration, Duration.ofSeconds(60), i -> () -> {
            HttpRequest request = requests.apply(i);
            return () -> request;
        });
    }

    /**
     * Open loop.
     *
     * @param drain how long after the last send to wait for answers before the rest count as unanswered
     * @param calls the i-th request, asked for on this thread just before it is due
     */
    public Result run(int rate, Duration duration, Duration drain, LongFunction<CallFactory> calls)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        AtomicLong answered = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        long total = rate * duration.toSeconds();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long[] dues = new long[(int) total];
        AtomicBoolean[] done = new AtomicBoolean[(int) total];
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[(int) total];
        // a step far beyond what the system takes would only pile up requests for the next steps
        // to wait behind: it stops once two seconds' worth of requests are unanswered
        long backlogLimit = Math.max(1_000, 2L * rate);
        int sent = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // not sleep(): on Java 17 it rounds up to whole milliseconds
            }
            if (i - answered.get() > backlogLimit) {
                break;
            }
            Call call = calls.apply(i).call();
            AtomicBoolean finished = new AtomicBoolean();
            dues[i] = due;
            done[i] = finished;
            inFlight[i] = send(call, due, recorder, statuses, answered, closed, finished);
            sent++;
        }
        CompletableFuture<?>[] started = java.util.Arrays.copyOf(inFlight, sent);
        CompletableFuture.allOf(started).orTimeout(drain.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> null)
                .join();
        closed.set(true);
        long end = System.nanoTime();
        for (int i = 0; i < sent; i++) {
            if (done[i].compareAndSet(false, true)) { // never answered: at least this late
                recorder.recordValue(Math.max(1, (end - dues[i]) / 1000));
                statuses.merge(0, 1L, Long::sum);
            }
        }
        // requests still out hold the server's threads and connections: let them end (unmeasured)
        // before the next step starts
        CompletableFuture.allOf(started).orTimeout(40, TimeUnit.SECONDS).exceptionally(e -> null).join();
        double seconds = (end - start) / 1e9;
        return new Result(rate, 0, sent, answered.get(), Map.copyOf(statuses), recorder.getIntervalHistogram(),
                seconds, total - sent);
    }

    /** Makes the call for a slot when it is due (so it can depend on answers so far). */
    @FunctionalInterface
    public interface CallFactory {
        Call call();
    }

    /**
     * Closed loop: {@code clients} concurrent clients for {@code duration}; each latency from send
     * to answer.
     */
    public Result closedLoop(int clients, Duration duration, LongFunction<CallFactory> calls)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        AtomicLong answered = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        CompletableFuture<?>[] loops = new CompletableFuture<?>[clients];
        for (int c = 0; c < clients; c++) {
            loops[c] = loop(calls, sent, deadline, recorder, statuses, answered, closed);
        }
        CompletableFuture.allOf(loops).orTimeout(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)
                .exceptionally(e -> null).join();
        closed.set(true);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(0, clients, sent.get(), answered.get(), Map.copyOf(statuses),
                recorder.getIntervalHistogram(), seconds, 0);
    }

    private CompletableFuture<Void> loop(LongFunction<CallFactory> calls, AtomicLong sent, long deadline,
            Recorder recorder, Map<Integer, Long> statuses, AtomicLong answered, AtomicBoolean closed) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Runnable next = new Runnable() {
            @Override
            public void run() {
                if (System.nanoTime() >= deadline) {
                    finished.complete(null);
                    return;
                }
                Call call = calls.apply(sent.getAndIncrement()).call();
                send(call, System.nanoTime(), recorder, statuses, answered, closed, new AtomicBoolean())
                        .whenComplete((ignored, error) -> run()); // each send its own future: no deep chain
            }
        };
        next.run();
        return finished;
    }

    private CompletableFuture<?> send(Call call, long due, Recorder recorder, Map<Integer, Long> statuses,
            AtomicLong answered, AtomicBoolean closed, AtomicBoolean finished) {
        return http.sendAsync(call.request(), HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (!closed.get() && finished.compareAndSet(false, true)) {
                recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                statuses.merge(error == null ? response.statusCode() : 0, 1L, Long::sum);
                answered.incrementAndGet();
            }
            call.answered(response, error);
            return null;
        });
    }

    public static HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }
}
