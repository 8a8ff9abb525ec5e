package io.orderstream.bench.peers;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.orderstream.bench.Pacer;
import io.orderstream.bench.Progress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends {@code SET key value NX EX ttl} at a fixed rate whatever the answers do (open loop), the
 * way {@link io.orderstream.bench.HttpLoad} sends HTTP requests, on the same {@link Pacer}: its
 * latency runs from the command's due time to its answer, so a stall (in Redis, the network or this
 * client) shows in full (coordinated-omission correction).
 */
final class LettuceOpenLoop {

    /**
     * What one run measured; {@code answered} counts both "OK" (new key) and nil (key already set).
     * As in HttpLoad, the latency histogram holds every command that came back, failed or not.
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
        Pacer pacer = new Pacer(rate, duration);
        long total = pacer.total();
        CountDownLatch done = new CountDownLatch((int) total);
        SetArgs args = SetArgs.Builder.nx().ex(ttlSeconds);
        long start = pacer.start();
        Progress progress = Progress.every("Redis " + rate + "/s (Lettuce)", () -> String.format(
                "answered %,d, errors %,d", answered.get(), errors.get()));
        for (long i = 0; i < total; i++) {
            long due = pacer.awaitDue(i);
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
        progress.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        long unanswered = total - answered.get() - errors.get();
        return new Result(total, answered.get(), errors.get() + unanswered, recorder.getIntervalHistogram(), sendLag,
                seconds);
    }
}
