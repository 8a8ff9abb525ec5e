package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends commands and hands each waiting request its result. Every API instance reads every
 * partition of {@code orders.command-results.v1} (no consumer group, from the end, read committed),
 * so a result reaches whichever instance holds the request, however many instances there are.
 */
@Component
class CommandGateway implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandGateway.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final Map<String, Object> consumerConfig;
    private final Map<String, CompletableFuture<CommandResult>> waiting = new ConcurrentHashMap<>();
    private final int maxWaiting;
    private final AtomicInteger waitingCount = new AtomicInteger();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread poller;
    private volatile boolean running;

    CommandGateway(KafkaTemplate<String, byte[]> kafka, KafkaProperties kafkaProperties, ApiProperties properties) {
        this.kafka = kafka;
        this.maxWaiting = properties.api().maxWaitingCommands();
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
    }

    /**
     * Sends the command, with its {@link MessageHeaders} and {@code trace}, and waits for its result.
     * The future completes with the result; with {@code null} when the command is in the log but no
     * result came within {@code timeout}; or exceptionally with {@link CommandNotSentException} when
     * the command did not reach the log, or with {@link OverloadedException}, before anything is
     * sent, when {@code orders.api.max-waiting-commands} commands already wait for their results.
     */
    CompletableFuture<CommandResult> submit(CommandEnvelope command, Traceparent trace, Duration timeout) {
        if (waitingCount.incrementAndGet() > maxWaiting) {
            // shed the load at once: a bounded wait list keeps the API's memory bounded, and a
            // 503 costs a fraction of what a request that waits its full timeout does
            waitingCount.decrementAndGet();
            return CompletableFuture.failedFuture(new OverloadedException(maxWaiting));
        }
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        waiting.put(command.requestId(), result);
        CompletableFuture<?> sent;
        try {
            sent = kafka.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, command.key().toString(),
                    Json.write(command), MessageHeaders.of(MessageSchema.COMMAND, null, trace)));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // the wait for the result starts once the command is safely in the log: a 202 promises that
        return sent.handle((ack, error) -> error)
                .thenCompose(error -> {
                    if (error != null) {
                        return CompletableFuture.<CommandResult>failedFuture(new CommandNotSentException(error));
                    }
                    return result.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
                })
                .whenComplete((answer, error) -> {
                    waiting.remove(command.requestId());
                    waitingCount.decrementAndGet();
                });
    }

    /** Positions the consumer at the end of every partition before the API takes requests. */
    @Override
    public void start() {
        KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(consumerConfig);
        List<TopicPartition> partitions = results.partitionsFor(Topics.COMMAND_RESULTS.name(), Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            results.close();
            throw new IllegalStateException("topic " + Topics.COMMAND_RESULTS.name() + " has no partitions");
        }
        results.assign(partitions);
        results.seekToEnd(partitions);
        partitions.forEach(results::position); // resolve the seek now, not at the first poll
        consumer = results;
        running = true;
        poller = new Thread(this::pollResults, "command-results");
        poller.setDaemon(true);
        poller.start();
        log.info("waiting for command results on {} partitions of {}", partitions.size(),
                Topics.COMMAND_RESULTS.name());
    }

    private void pollResults() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    deliver(record);
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke us
        } catch (RuntimeException e) {
            log.error("command result consumer failed; waiting requests will answer 202", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        CommandResult result;
        try {
            result = Json.read(record.value(), CommandResult.class);
        } catch (RuntimeException unreadable) {
            log.warn("unreadable command result at {}-{}@{} ignored: {}", record.topic(), record.partition(),
                    record.offset(), unreadable.getMessage());
            return;
        }
        CompletableFuture<CommandResult> request = waiting.get(result.requestId());
        if (request != null) {
            request.complete(result);
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> results = consumer;
        if (results != null) {
            results.wakeup();
        }
        Thread thread = poller;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Too many commands wait for their results: this one was not sent. */
    static final class OverloadedException extends RuntimeException {
        OverloadedException(int limit) {
            super(limit + " commands are already waiting for their results", null, false, false);
        }
    }

    /** The command did not reach Kafka; nothing was done, and a retry with the same key is safe. */
    static final class CommandNotSentException extends RuntimeException {
        CommandNotSentException(Throwable cause) {
            super("command not sent: " + cause.getMessage(), cause);
        }
    }
}
