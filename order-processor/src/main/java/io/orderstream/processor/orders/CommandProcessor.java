package io.orderstream.processor.orders;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.CommandValidation;
import io.orderstream.events.Decision;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderDecider;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.events.Problem;
import io.orderstream.events.ProblemType;
import io.orderstream.events.ResultHeaders;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Topic;
import io.orderstream.events.Topics;
import io.orderstream.idempotency.IdempotencyStore;
import io.orderstream.idempotency.IdempotencyStores;
import io.orderstream.idempotency.Lookup;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Applies one command: refuse it when it lies outside the idempotency window ({@link CommandWindow}),
 * deduplicate by (tenant, orderId, idempotency key), decide, append events, keep state, remember and
 * emit the result. Records it cannot read go to the DLQ with their error.
 * Events and results carry the input's headers with {@link MessageHeaders} set anew: their own
 * content type, schema and version, and the command's trace continued with a span of their own
 * ({@link CommandTracing}).
 */
final class CommandProcessor implements Processor<byte[], byte[], byte[], Routed> {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final TopologySettings settings;
    private final CommandWindow window;
    private ProcessorContext<byte[], Routed> context;
    private ProcessorMetrics metrics;
    private IdempotencyStore idempotency;
    private KeyValueStore<String, byte[]> orders;
    /** The span of the command being processed (one at a time: a processor belongs to one task). */
    private CommandTracing.Handling span;

    CommandProcessor(TopologySettings settings) {
        this.settings = settings;
        this.window = new CommandWindow(settings.idempotency().ttl(), settings.maxClockSkew());
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.metrics = settings.metrics();
        this.idempotency = IdempotencyStores.open(context.getStateStore(OrderTopology.IDEMPOTENCY_STORE),
                settings.idempotency(), metrics);
        this.orders = context.getStateStore(OrderTopology.ORDER_STATE_STORE);
        metrics.storeSize(context.taskId(), idempotency.approximateKeys());
        // each new key purges expired ones as it is stored, so the purge keeps up with any rate;
        // this clears what expires while no keys arrive, in batches for at most the budget, so it
        // never holds up processing (or grows a transaction) for long
        context.schedule(settings.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            long deadline = System.nanoTime() + settings.purgeBudget().toNanos();
            int purged = 0;
            int batch;
            do {
                batch = idempotency.purgeExpired(now, settings.purgeBatch());
                purged += batch;
            } while (batch == settings.purgeBatch() && System.nanoTime() < deadline);
            if (purged > 0) {
                log.debug("task {}: purged {} expired idempotency records", context.taskId(), purged);
            }
            metrics.storeSize(context.taskId(), idempotency.approximateKeys());
        });
    }

    @Override
    public void close() {
        if (context != null) {
            metrics.storeSize(context.taskId(), -1);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (settings.commitRequests().due(System.nanoTime())) {
            // asked before the command is handled, committed after this loop iteration: with it
            context.commit();
        }
        // one trace for everything this command causes (the caller's, or one started here): a span for
        // the command, and one for each record it writes, which that record's traceparent names
        try (CommandTracing.Handling handling = settings.tracing().start(record.headers())) {
            span = handling;
            try {
                handle(record);
            } catch (RuntimeException failure) {
                handling.failed(failure);
                throw failure;
            } finally {
                span = null;
            }
        }
    }

    private void handle(Record<byte[], byte[]> record) {
        CommandEnvelope command;
        try {
            command = readCommand(record);
        } catch (RuntimeException unreadable) {
            if (unreadable instanceof KafkaException) {
                throw unreadable;
            }
            park(record, unreadable);
            return;
        }
        long now = context.currentSystemTimeMs();
        Optional<String> unkeepable = CommandValidation.unkeepableText(command);
        if (unkeepable.isPresent()) {
            // whoever wrote it, the system cannot keep its text (PostgreSQL refuses NUL and lone
            // surrogates): parked, answered, nothing remembered; the message names only the field
            parkAndAnswer(record, command, new UnkeepableTextException(unkeepable.get()), now);
            return;
        }
        // judged before the key is looked up: a command outside its window is refused whether or not
        // the purge has removed its key yet (see CommandWindow)
        Optional<String> outside = window.refusal(command.occurredAt(), now);
        if (outside.isPresent()) {
            emitResult(record, command, refusal(command, CommandResult.Outcome.EXPIRED,
                    ProblemType.COMMAND_EXPIRED.problem(outside.get()), now), null, now);
            return;
        }
        String scope = command.key().toString();
        Lookup lookup = idempotency.lookup(scope, command.idempotencyKey(), command.fingerprint(), now);
        if (lookup instanceof Lookup.Replay replay) {
            emitResult(record, command, StoredResults.replay(replay.record(), command), replay.record().expiresAtMs(),
                    now);
        } else if (lookup instanceof Lookup.Mismatch) {
            // the same problem the API's near cache gives for a key it knows (one definition)
            emitResult(record, command, refusal(command, CommandResult.Outcome.KEY_REUSED,
                    ProblemType.keyReused(command.idempotencyKey()), now), null, now);
        } else {
            applyNew(record, command, scope, now);
        }
    }

    private void applyNew(Record<byte[], byte[]> record, CommandEnvelope command, String scope, long now) {
        List<EventEnvelope> recorded = new ArrayList<>();
        OrderState state = OrderStates.decode(orders.get(scope));
        Answer answer;
        long keyExpiresAt;
        try {
            Decision decision = OrderDecider.decide(command.command(), state, command.actor());
            if (decision instanceof Decision.Accepted accepted) {
                for (OrderEvent event : accepted.events()) {
                    EventEnvelope envelope = envelope(command, event, state == null ? 1 : state.version() + 1, now);
                    state = OrderDecider.evolve(state, envelope);
                    recorded.add(envelope);
                }
                boolean created = command.command() instanceof OrderCommand.PlaceOrder;
                answer = success(command, CommandResult.Outcome.APPLIED, created ? 201 : 200, Json.write(state), now);
            } else if (decision instanceof Decision.Unchanged) {
                answer = success(command, CommandResult.Outcome.UNCHANGED, 200, Json.write(state), now);
            } else {
                Decision.Rejected rejected = (Decision.Rejected) decision;
                answer = refusal(command, CommandResult.Outcome.REJECTED, rejected.type().problem(rejected.detail()),
                        now);
            }
            // remembered first: if the answer cannot be stored, nothing of the command is applied
            keyExpiresAt = idempotency.remember(scope, command.idempotencyKey(), command.fingerprint(),
                    StoredResults.toStored(answer), CommandWindow.rememberFrom(command.occurredAt(), now)).expiresAtMs();
        } catch (RuntimeException failure) {
            if (failure instanceof KafkaException) {
                throw failure;
            }
            // the state machine refused its own history, or the response could not be stored:
            // park the command, answer, remember nothing (a retry runs it again)
            parkAndAnswer(record, command, failure, now);
            return;
        }
        for (EventEnvelope event : recorded) {
            context.forward(new Record<>(utf8(scope), routed(Topics.EVENTS, event), now,
                    MessageHeaders.of(MessageSchema.EVENT, record.headers(), span.send(Topics.EVENTS.name()))));
        }
        if (!recorded.isEmpty()) {
            // the order's JSON as the answer carries it: written once, stored and sent as it is
            orders.put(scope, OrderStates.encode(answer.orderJson()));
        }
        emitResult(record, command, answer, keyExpiresAt, now);
    }

    /** Parks a command that was read but cannot be applied, and answers it as failed. */
    private void parkAndAnswer(Record<byte[], byte[]> record, CommandEnvelope command, RuntimeException failure,
            long now) {
        park(record, failure);
        emitResult(record, command, refusal(command, CommandResult.Outcome.FAILED,
                ProblemType.PROCESSING_FAILED.problem("The command could not be processed and was parked for "
                        + "an operator; retrying with the same Idempotency-Key is safe."), now), null, now);
    }

    private CommandEnvelope readCommand(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("command record has no value");
        }
        // a duplicate member ({"status":"PROCESSING","status":"CANCELED"}) is ambiguous: refused
        CommandEnvelope command = Json.readStrict(record.value(), CommandEnvelope.class);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!command.key().toString().equals(key)) {
            throw new IllegalArgumentException("record key '" + key + "' is not the command's tenant/orderId '"
                    + command.key() + "'");
        }
        return command;
    }

    /**
     * Emits the answer to {@code command}, with the {@link ResultHeaders} a reader routes and caches it
     * by; {@code keyExpiresAt} is set when the answer is the one stored under the command's key.
     */
    private void emitResult(Record<byte[], byte[]> record, CommandEnvelope command, Answer answer,
            Long keyExpiresAt, long now) {
        metrics.answered(answer.tenantId(), answer.outcome(), answer.replayed());
        byte[] key = utf8(new OrderKey(answer.tenantId(), answer.orderId()).toString());
        Headers headers = MessageHeaders.of(MessageSchema.RESULT, record.headers(),
                span.send(Topics.COMMAND_RESULTS.name()));
        ResultHeaders.put(headers, answer.requestId(), answer.status(), answer.outcome(), answer.replayed(),
                command.idempotencyKey(), command.fingerprint(), keyExpiresAt);
        context.forward(new Record<>(key, new Routed(Topics.COMMAND_RESULTS.name(), ResultJson.write(answer)), now,
                headers));
    }

    /** A value for one topic, written with that topic's serde. */
    private static <V> Routed routed(Topic<?, V> topic, V value) {
        return new Routed(topic.name(), topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Sends the record as it came, plus headers naming the error, to the DLQ. */
    private void park(Record<byte[], byte[]> record, RuntimeException error) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(Topics.DlqHeaders.ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(Topics.DlqHeaders.ERROR_MESSAGE, utf8(String.valueOf(error.getMessage())));
        context.recordMetadata().ifPresent((RecordMetadata source) -> {
            headers.add(Topics.DlqHeaders.SOURCE_TOPIC, utf8(source.topic()));
            headers.add(Topics.DlqHeaders.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(Topics.DlqHeaders.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        });
        headers.add(Topics.DlqHeaders.FAILED_AT, utf8(Instant.ofEpochMilli(context.currentSystemTimeMs()).toString()));
        metrics.parked(error.getClass().getSimpleName());
        log.warn("command parked in {}: {} ({}) at {}", Topics.COMMANDS_DLQ.name(), error.getClass().getSimpleName(),
                loggable(error), context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@"
                        + m.offset()).orElse("?"));
        context.forward(new Record<>(record.key(), new Routed(Topics.COMMANDS_DLQ.name(), record.value()),
                record.timestamp(), headers));
    }

    /**
     * What the log may say of the error: a JSON reader's message can quote the record's content
     * (a value of the wrong type, say), so of those only where in the document; the record itself,
     * with the full message, is in the DLQ.
     */
    private static String loggable(RuntimeException error) {
        if (error instanceof JacksonException json) {
            String at = json.getPath().stream().map(reference -> reference.getPropertyName() != null
                    ? reference.getPropertyName() : "[" + reference.getIndex() + "]").collect(Collectors.joining("."));
            return "unreadable JSON" + (at.isEmpty() ? "" : " at " + at) + "; the message is in the DLQ headers";
        }
        return String.valueOf(error.getMessage());
    }

    private static EventEnvelope envelope(CommandEnvelope command, OrderEvent event, long sequence, long now) {
        // the id is a function of (tenant, order, sequence): a consumer can deduplicate by either
        String eventId = UUID.nameUUIDFromBytes(utf8(command.key() + "#" + sequence)).toString();
        return new EventEnvelope(SchemaVersions.EVENT, eventId, command.tenantId(), command.orderId(), sequence,
                Instant.ofEpochMilli(now), command.commandId(), command.requestId(), command.idempotencyKey(), event);
    }

    private static Answer success(CommandEnvelope command, CommandResult.Outcome outcome, int status,
            byte[] orderJson, long now) {
        return new Answer(command.requestId(), command.commandId(), command.tenantId(), command.orderId(), outcome,
                status, orderJson, null, false, Instant.ofEpochMilli(now));
    }

    private static Answer refusal(CommandEnvelope command, CommandResult.Outcome outcome, Problem problem, long now) {
        return new Answer(command.requestId(), command.commandId(), command.tenantId(), command.orderId(), outcome,
                problem.status(), null, Json.write(problem), false, Instant.ofEpochMilli(now));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
