package io.orderstream.api.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderstream.api.config.ApiProperties;
import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.ResultHeaders;
import io.orderstream.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of {@code orders.command-results.v1} (no consumer group, from the end,
 * read committed) and hands each result to the request waiting for it, so a result reaches
 * whichever API instance holds the request. It routes by the record's {@code orders-request-id}
 * header: a result nobody here waits for is not parsed; a stored answer (header
 * {@code orders-key-expires-at}) is kept, as its bytes, in the near cache ({@link AnswerCache}).
 *
 * <p>It cannot die silently: whatever fails (the broker unreachable for
 * {@code orders.api.results.unreachable-after}, a consumer error, a bug), it closes its consumer,
 * waits (100 ms, doubling up to {@code orders.api.results.max-backoff}), opens a new one where the
 * old one was, and goes on, until the API stops. Meanwhile {@link #isReading()} is false: health
 * shows {@code results} DOWN. A record it cannot read is logged and skipped.
 */
@Component
class ResultReader implements SmartLifecycle {

    /**
     * Below the web server's phase: the reader starts before the API takes requests, and stops only
     * after the web server stopped, which it does once its graceful shutdown drained the requests in
     * flight. So a command waiting during a shutdown still gets its result, not 202.
     */
    static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(ResultReader.class);

    private final CommandGateway gateway;
    private final AnswerCache cache;
    private final Map<String, Object> consumerConfig;
    private final Duration maxBackoff;
    private final Duration unreachableAfter;
    private final Counter restarts;
    /** Where to go on after a restart: the next offset per partition (the reading thread's own). */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Object pause = new Object();
    private volatile boolean running;
    private volatile boolean reading;
    private volatile String lastFailure;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    ResultReader(CommandGateway gateway, AnswerCache cache, KafkaProperties kafkaProperties, ApiProperties properties,
            MeterRegistry registry) {
        this.gateway = gateway;
        this.cache = cache;
        this.maxBackoff = properties.api().results().maxBackoff();
        this.unreachableAfter = properties.api().results().unreachableAfter();
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "order-api-results");
        this.consumerConfig = config;
        Gauge.builder("orders.results.reader.up", this, reader -> reader.isReading() ? 1 : 0)
                .description("1 while the API reads command results, 0 while its reader fails and starts again")
                .register(registry);
        this.restarts = Counter.builder("orders.results.reader.restarts")
                .description("times the reader of command results failed and started again").register(registry);
    }

    /** Positions the reader at the end of every partition before the API takes requests. */
    @Override
    public void start() {
        running = true;
        try {
            consumer = open();
            reading = true;
            log.info("waiting for command results on {} partitions of {}", positions.size(),
                    Topics.COMMAND_RESULTS.name());
        } catch (RuntimeException e) {
            failed(e, 0);
        }
        thread = new Thread(this::read, "command-results");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        int failures = 0;
        long lastContact = System.nanoTime();
        while (running) {
            try {
                if (consumer == null) {
                    pause(backoff(failures));
                    if (!running) {
                        break;
                    }
                    consumer = open();
                    lastContact = System.nanoTime();
                    log.info("reading command results again after {} failure(s)", failures);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    deliver(record);
                    positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                // poll() does not fail while the broker is away: ask it something, now and then
                if (System.nanoTime() - lastContact > unreachableAfter.toNanos() / 2) {
                    consumer.endOffsets(consumer.assignment(), unreachableAfter);
                    lastContact = System.nanoTime();
                }
                failures = 0;
                reading = true;
                lastFailure = null;
            } catch (WakeupException stopping) {
                // stop() woke the reader; the loop ends if it is no longer running
            } catch (RuntimeException | Error e) {
                failed(e, ++failures);
            }
        }
        close();
    }

    private void failed(Throwable e, int failures) {
        reading = false;
        lastFailure = e.getClass().getName();
        restarts.increment();
        log.warn("command result reader failed ({}: {}); waiting requests answer 202 until it reads again, "
                + "starting again in {} ms", e.getClass().getSimpleName(), e.getMessage(), backoff(failures).toMillis(), e);
        close();
    }

    private KafkaConsumer<String, byte[]> open() {
        KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(consumerConfig);
        try {
            List<TopicPartition> partitions = results.partitionsFor(Topics.COMMAND_RESULTS.name(), unreachableAfter)
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + Topics.COMMAND_RESULTS.name() + " has no partitions");
            }
            results.assign(partitions);
            // where it was before a failure, so results committed meanwhile still reach their requests
            List<TopicPartition> unknown = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Long next = positions.get(partition);
                if (next == null) {
                    unknown.add(partition);
                } else {
                    results.seek(partition, next);
                }
            }
            results.seekToEnd(unknown);
            for (TopicPartition partition : partitions) { // resolve the seeks now, not at the first poll
                positions.put(partition, results.position(partition, unreachableAfter));
            }
            return results;
        } catch (RuntimeException e) {
            results.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Routes a result by its {@link ResultHeaders}: it is parsed only when a request on this instance
     * waits for it, and remembered in the near cache, as its bytes, when it is an answer the
     * processor stored under its key. A result without the headers (an older processor) is parsed.
     */
    private void deliver(ConsumerRecord<String, byte[]> record) {
        try {
            Headers headers = record.headers();
            String requestId = MessageHeaders.lastString(headers, ResultHeaders.REQUEST_ID).orElse(null);
            if (requestId == null) {
                CommandResult result = Json.read(record.value(), CommandResult.class);
                gateway.complete(result.requestId(), StoredAnswer.of(result));
                return;
            }
            remember(record, headers);
            if (gateway.isWaiting(requestId)) {
                gateway.complete(requestId, StoredAnswer.read(record.value()));
            }
        } catch (RuntimeException unreadable) {
            log.warn("unreadable command result at {}-{}@{} skipped: {}", record.topic(), record.partition(),
                    record.offset(), unreadable.getClass().getSimpleName());
        }
    }

    private void remember(ConsumerRecord<String, byte[]> record, Headers headers) {
        Optional<String> expiresAt = MessageHeaders.lastString(headers, ResultHeaders.KEY_EXPIRES_AT);
        if (expiresAt.isEmpty() || record.key() == null || record.value() == null) {
            return; // an answer that stored nothing under the key (422, a failure): never cached
        }
        Optional<String> key = MessageHeaders.lastString(headers, ResultHeaders.IDEMPOTENCY_KEY);
        Optional<String> fingerprint = MessageHeaders.lastString(headers, ResultHeaders.FINGERPRINT);
        if (key.isPresent() && fingerprint.isPresent()) {
            cache.put(record.key(), key.get(), fingerprint.get(), Long.parseLong(expiresAt.get()), record.value(),
                    System.currentTimeMillis());
        }
    }

    private Duration backoff(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        synchronized (pause) {
            long left;
            while (running && (left = end - System.nanoTime()) > 0) {
                try {
                    pause.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void close() {
        KafkaConsumer<String, byte[]> results = consumer;
        consumer = null;
        if (results != null) {
            try {
                results.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                log.debug("closing the command result consumer: {}", e.toString());
            }
        }
    }

    /** True while the reader reads; false while it fails and starts again, and once stopped. */
    boolean isReading() {
        return running && reading;
    }

    /** The class of the last failure while not reading, else null. */
    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void stop() {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        KafkaConsumer<String, byte[]> results = consumer;
        if (results != null) {
            try {
                results.wakeup();
            } catch (RuntimeException closedMeanwhile) {
                // the reader closed it between our read of the field and the call
            }
        }
        Thread reader = thread;
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
