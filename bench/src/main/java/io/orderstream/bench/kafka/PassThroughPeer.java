package io.orderstream.bench.kafka;

import io.orderstream.bench.Child;
import io.orderstream.bench.Measurement;
import io.orderstream.bench.Peer;
import io.orderstream.bench.ResourceWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Peer "the floor of this design": a {@link PassThroughStage} in its own JVM (the services' JDK and
 * heap) that copies records with {@code exactly_once_v2} and the processor's commit interval,
 * driven by a {@link KafkaRoundTrip} with the API's producer settings.
 */
public final class PassThroughPeer implements Peer {

    public static final String SYSTEM = "Kafka Streams pass-through (EOS v2)";

    private final KafkaRoundTrip trip;
    private final Child stage;
    private final Duration drain;

    private PassThroughPeer(KafkaRoundTrip trip, Child stage, Duration drain) {
        this.trip = trip;
        this.stage = stage;
        this.drain = drain;
    }

    /** Starts the stage on fresh topics and waits until it runs. */
    public static PassThroughPeer start(String bootstrap, Path jdk, List<String> jvmOptions, Path work, Path logs,
            int commitIntervalMs, Duration drain) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "bench-pass-through-in-" + run;
        String output = "bench-pass-through-out-" + run;
        KafkaRoundTrip trip = new KafkaRoundTrip(SYSTEM, bootstrap, input, output, 6);
        Child stage = Child.startUntilInputEnds("pass-through-stage", jdk, logs, jvmOptions,
                PassThroughStage.class.getName(), List.of(bootstrap, input, output,
                        work.resolve("pass-through").toString(), Integer.toString(commitIntervalMs)),
                Duration.ofSeconds(10));
        stage.awaitLine("running", Duration.ofMinutes(1));
        return new PassThroughPeer(trip, stage, drain);
    }

    @Override
    public String system() {
        return SYSTEM;
    }

    @Override
    public void watch(ResourceWatch watch) {
        watch.add("pass-through stage", stage.pid(), null);
    }

    /** 1,000 records per second. */
    @Override
    public void warmUp(Duration duration) throws InterruptedException {
        trip.openLoop(1000, duration, drain);
    }

    @Override
    public Measurement open(int rate, Duration duration) throws InterruptedException {
        return trip.openLoop(rate, duration, drain);
    }

    @Override
    public Measurement closed(int clients, Duration duration) throws InterruptedException {
        return trip.closedLoop(clients, duration);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            trip.close();
        } finally {
            stage.close();
        }
    }
}
