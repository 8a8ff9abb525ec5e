package io.orderstream.bench.kafka;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The floor under the processor: a Kafka Streams stage that copies each record from one topic to
 * another with {@code exactly_once_v2} and the processor's commit settings, and does nothing else
 * (no state store, no JSON, no decider). Runs in its own JVM until its standard input closes.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, state directory, commit interval (ms),
 * then any further Streams properties as {@code name=value}.
 */
public final class PassThroughStage {

    private PassThroughStage() {
    }

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-pass-through");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(StreamsConfig.STATE_DIR_CONFIG, args[3]);
        // as order-processor.yml sets them, so the two differ only in what they do per record
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.parseInt(args[4]));
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.POLL_MS_CONFIG, 5);
        config.put(StreamsConfig.producerPrefix("retry.backoff.ms"), 5);
        config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        for (int i = 5; i < args.length; i++) { // further Streams properties, name=value
            config.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[1], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(args[2], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            running.await();
            System.out.println("running");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our standard input
            }
        }
        System.exit(0);
    }
}
