package io.orderstream.bench.peers;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends {@code SET key value NX EX ttl} at a fixed rate whatever the answers do (open loop), the
 * way {@link io.orderstream.bench.OpenLoopDriver} sends HTTP requests: the i-th command is due at
 * {@code start + i / rate}, and its latency runs from that due time to its answer, so a stall
 * (in Redis, the network or this client) shows in full (coordinated-omission correction).
 */
final class LettuceOpenLoop {

    /**
     * What one run measured; {@code answered} counts both "OK" (new key) and nil (key already set).
     * As in OpenLoopDriver, the latency histogram holds every command that came back, failed or not.
     */
    record Result(long sent, long answered, long errors, Histogram latencyMicros, Histogram sendLagMicros,
            double seconds) {

        double ms(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN
                    : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private LettuceOpenLoop() {
    }

    /**
     * @param keys the key of the i-th command
     */
    static Result run(RedisAsyncCommands<String, String> redis, int rate, Duration duration, LongFunction<String> keys,
            String value, long ttlSeconds) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Histogram sendLag = new Histogram(3); // how late this driver itself sent: part of every latency
        AtomicLong answered = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long total = rate * duration.toSeconds();
        CountDownLatch done = new CountDownLatch((int) total);
        SetArgs args = SetArgs.Builder.nx().ex(ttlSeconds);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            awaitDue(due);
            sendLag.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
            redis.set(keys.apply(i), value, args).whenComplete((reply, error) -> {
                recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                if (error == null) {
                    answered.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long unanswered = total - answered.get() - errors.get();
        return new Result(total, answered.get(), errors.get() + unanswered, recorder.getIntervalHistogram(), sendLag,
                seconds);
    }

    /**
     * Parks until {@code due}. Not {@code TimeUnit.NANOSECONDS.sleep}: on Java 17 that is
     * {@code Thread.sleep(millis, nanos)}, which rounds any nanos up to a whole millisecond, so at
     * 1,000 requests/s and more each send would be up to 1 ms late (measured: half a millisecond of
     * send lag at the median, most of what was then reported as Redis's latency).
     */
    private static void awaitDue(long due) throws InterruptedException {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
