package io.orderstream.api.orders;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.CommandRejectedException;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.ProblemType;
import io.orderstream.events.Topics;
import io.orderstream.events.Traceparent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends commands and hands each waiting request its result, which the {@link ResultReader} reads
 * from {@code orders.command-results.v1}.
 */
@Component
class CommandGateway {

    private static final Logger log = LoggerFactory.getLogger(CommandGateway.class);

    private final KafkaTemplate<String, CommandEnvelope> kafka;
    private final Map<String, CompletableFuture<StoredAnswer>> waiting = new ConcurrentHashMap<>();
    private final int maxWaiting;
    private final AtomicInteger waitingCount = new AtomicInteger();

    private final Timer sendTime;
    private final Timer resultTime;

    CommandGateway(KafkaTemplate<String, CommandEnvelope> kafka, ApiProperties properties,
            ObjectProvider<MeterRegistry> registry) {
        this.kafka = kafka;
        this.maxWaiting = properties.api().maxWaitingCommands();
        MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
        // the split of a command's time: until Kafka acknowledged it, then until its result was read
        this.sendTime = Timer.builder("orders.api.command.stage").tag("stage", "send")
                .description("a command's time in the API by stage: send (to the broker's ack), result (ack to "
                        + "its result read), answer (arrival to the answer written)").register(meters);
        this.resultTime = Timer.builder("orders.api.command.stage").tag("stage", "result")
                .description("a command's time in the API by stage: send (to the broker's ack), result (ack to "
                        + "its result read), answer (arrival to the answer written)").register(meters);
    }

    /**
     * Sends the command, with its {@link MessageHeaders} and {@code trace}, and waits for its result.
     * The future completes with the successful answer; with {@code null} when the command is in the
     * log but no result came within {@code timeout}; or exceptionally with
     * {@link CommandRejectedException} when the processor answered with a problem, with
     * {@link CommandNotSentException} when the command did not reach the log, or with
     * {@link OverloadedException}, before anything is sent, when
     * {@code orders.api.max-waiting-commands} commands already wait for their results.
     */
    CompletableFuture<StoredAnswer> submit(CommandEnvelope command, Traceparent trace, Duration timeout) {
        if (waitingCount.incrementAndGet() > maxWaiting) {
            // shed the load at once: a bounded wait list keeps the API's memory bounded, and a
            // 503 costs a fraction of what a request that waits its full timeout does
            waitingCount.decrementAndGet();
            return CompletableFuture.failedFuture(new OverloadedException());
        }
        CompletableFuture<StoredAnswer> result = new CompletableFuture<>();
        waiting.put(command.requestId(), result);
        CompletableFuture<?> sent;
        try {
            sent = kafka.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, command.key().toString(), command,
                    MessageHeaders.of(MessageSchema.COMMAND, null, trace)));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        long start = System.nanoTime();
        // the wait for the result starts once the command is safely in the log: a 202 promises that
        return sent.handle((ack, error) -> error)
                .thenCompose(error -> {
                    if (error != null) {
                        log.warn("command {} for {} not sent: {}", command.commandId(), command.key(),
                                error.getMessage());
                        return CompletableFuture.<StoredAnswer>failedFuture(new CommandNotSentException(error));
                    }
                    long acked = System.nanoTime();
                    sendTime.record(acked - start, TimeUnit.NANOSECONDS);
                    return result.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .whenComplete((answer, late) -> {
                                if (answer != null) {
                                    resultTime.record(System.nanoTime() - acked, TimeUnit.NANOSECONDS);
                                }
                            });
                })
                .thenApply(CommandGateway::successOrRejection)
                .whenComplete((answer, error) -> {
                    waiting.remove(command.requestId());
                    waitingCount.decrementAndGet();
                });
    }

    /** Whether a request on this instance waits for the result addressed to {@code requestId}. */
    boolean isWaiting(String requestId) {
        return waiting.containsKey(requestId);
    }

    /** Hands a committed result's answer to the request waiting for it on this instance, if any. */
    void complete(String requestId, StoredAnswer answer) {
        if (requestId == null) {
            throw new IllegalArgumentException("command result without a requestId");
        }
        CompletableFuture<StoredAnswer> request = waiting.get(requestId);
        if (request != null) {
            request.complete(answer);
        }
    }

    private static StoredAnswer successOrRejection(StoredAnswer answer) {
        if (answer != null && !answer.isSuccess()) {
            throw new CommandRejectedException(answer.problem(), answer.replayed());
        }
        return answer;
    }

    /** Too many commands wait for their results: this one was not sent. 503, retry after a second. */
    static final class OverloadedException extends ApiProblemException {
        OverloadedException() {
            super(ProblemType.UNAVAILABLE, "The service is at its limit of commands waiting for results; nothing "
                    + "was done. Retry with the same Idempotency-Key after Retry-After.", 1, null);
        }
    }

    /** The command did not reach Kafka; nothing was done, and a retry with the same key is safe. 503. */
    static final class CommandNotSentException extends ApiProblemException {
        CommandNotSentException(Throwable cause) {
            super(ProblemType.UNAVAILABLE,
                    "The command could not be queued; nothing was done. Retry with the same Idempotency-Key.", null,
                    cause);
        }
    }
}
