package io.orderstream.bench.kafka;

import io.orderstream.bench.Measurement;
import io.orderstream.bench.Pacer;
import io.orderstream.bench.Progress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drives a {@link PassThroughStage} the way the API drives the processor: a producer with the
 * API's settings writes each request to the input topic, a {@code read_committed} consumer reads
 * it back from the output topic, and the latency is from the moment the request was due (open
 * loop) or sent (closed loop) to the moment its copy was read.
 */
public final class KafkaRoundTrip implements AutoCloseable {

    public static final int RECORD_BYTES = 300;
    private static final int RING = 1 << 22;

    private final String system;
    private final String input;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicLongArray started = new AtomicLongArray(RING);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread reader;
    private volatile Recorder recorder = new Recorder(3);
    private volatile Semaphore window;
    private final AtomicLong received = new AtomicLong();

    public KafkaRoundTrip(String system, String bootstrap, String input, String output, int partitions) {
        this.system = system;
        this.input = input;
        createTopics(bootstrap, List.of(input, output), partitions);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1), new ByteArraySerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> assigned = consumer.partitionsFor(output, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(output, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        reader = new Thread(this::read, "round-trip-reader");
        reader.start();
    }

    static void createTopics(String bootstrap, List<String> topics, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        while (!stop.get()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                long index = ByteBuffer.wrap(record.value()).getLong();
                long start = started.getAndSet((int) (index % RING), 0);
                if (start != 0) {
                    recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    received.incrementAndGet();
                    Semaphore permits = window;
                    if (permits != null) {
                        permits.release();
                    }
                }
            }
        }
    }

    private long sequence;

    private String live() {
        return String.format("sent %,d, read back %,d", sequence, received.get());
    }

    private void send(long startNanos) {
        long index = sequence++;
        started.set((int) (index % RING), startNanos);
        byte[] value = new byte[RECORD_BYTES];
        ByteBuffer.wrap(value).putLong(index);
        producer.send(new ProducerRecord<>(input, Long.toString(index % 4096).getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
    }

    /** Open loop at {@code rate} records/s; records not read back within {@code drain} count as errors. */
    public Measurement openLoop(int rate, Duration duration, Duration drain) throws InterruptedException {
        begin(null);
        Pacer pacer = new Pacer(rate, duration);
        long first = sequence;
        try (Progress progress = Progress.every(system + " " + rate + "/s", this::live)) {
            for (long i = 0; i < pacer.total(); i++) {
                send(pacer.awaitDue(i));
            }
            return finish(rate, 0, pacer.start(), first, pacer.total(), drain);
        }
    }

    /** Closed loop: at most {@code clients} records in flight, each sent when one came back. */
    public Measurement closedLoop(int clients, Duration duration) throws InterruptedException {
        Semaphore permits = new Semaphore(clients);
        begin(permits);
        long start = System.nanoTime();
        long first = sequence;
        long deadline = start + duration.toNanos();
        try (Progress progress = Progress.every(system + " closed loop", this::live)) {
            while (System.nanoTime() < deadline) {
                if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    send(System.nanoTime());
                }
            }
            return finish(Measurement.CLOSED_LOOP, clients, start, first, sequence - first, Duration.ofSeconds(10));
        }
    }

    private void begin(Semaphore permits) {
        received.set(0);
        window = permits;
        recorder.reset();
    }

    private Measurement finish(int rate, int clients, long start, long first, long total, Duration drain)
            throws InterruptedException {
        producer.flush();
        long deadline = System.nanoTime() + drain.toNanos();
        while (received.get() < total && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10); // the reader thread counts; this only polls its count
        }
        long end = System.nanoTime();
        long missing = 0;
        for (long i = first; i < first + total; i++) { // never read back: at least this late
            long due = started.getAndSet((int) (i % RING), 0);
            if (due != 0) {
                recorder.recordValue(Math.max(1, (end - due) / 1000));
                missing++;
            }
        }
        window = null;
        Histogram latency = recorder.getIntervalHistogram();
        long completed = total - missing;
        return new Measurement(system, rate, clients, completed, missing, (end - start) / 1e9,
                percentile(latency, 50), percentile(latency, 99), percentile(latency, 99.9),
                rate > 0 ? "open loop, from due time to read back (read_committed)" : "send to read back");
    }

    private static double percentile(Histogram latency, double p) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        reader.join(5_000);
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
