package io.orderstream.ops.commands;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.Topics;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.ProcessorTtl;
import io.orderstream.ops.support.LogReader;
import io.orderstream.ops.support.OpsException;
import io.orderstream.ops.support.Progress;
import io.orderstream.ops.support.ResultWatcher;
import io.orderstream.ops.support.Timestamps;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Re-sends the commands of a time range. Each copy is the original record with two fields of its
 * value changed: a fresh request id (so its result can be told apart) and command id. Everything
 * else (the idempotency key and fingerprint, so the processor recognises what it has already
 * applied; {@code occurredAt}, so it knows the command's age; the actor; any field a newer producer
 * added) is the original's JSON, untouched, and so are the key and headers: a command already
 * applied collapses into a replay of its stored result.
 *
 * <p>A command older than the processor's idempotency TTL is answered expired and never decided
 * again; the command refuses a range holding such commands unless {@code --force}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Re-produces the commands of orders.commands.v1 whose timestamps lie in [--from, --to) (offsets found by "
                    + "timestamp) with a fresh requestId and commandId, the same idempotency key and fingerprint, "
                    + "then reads orders.command-results.v1 (read_committed) for those requestIds and counts how "
                    + "many collapsed as duplicates (replayed=true) and how many caused new changes.",
            "Commands already applied change nothing. Commands older than the idempotency TTL the processor runs "
                    + "with (as it recorded in PostgreSQL) can no longer be deduplicated: the processor answers them "
                    + "expired and changes nothing. The command refuses a range holding any unless --force."})
final class ReplayCommand implements Callable<Integer> {

    static final String REPLAY_OF = "x-replay-of";

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from", required = true, paramLabel = "ISO-8601", converter = Timestamps.class,
            description = "Start of the range, inclusive (e.g. 2026-11-26T10:00:00Z).")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "ISO-8601", converter = Timestamps.class,
            description = "End of the range, exclusive.")
    Instant to;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's commands.")
    String tenant;

    @Option(names = "--dry-run", description = "Show what would be re-produced; send nothing.")
    boolean dryRun;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "PT60S",
            description = "How long to wait for the results (e.g. 60s or PT60S; default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Mixin
    ProcessorTtl processorTtl;

    @Option(names = "--force", description = "Re-send commands older than the idempotency TTL too (the processor "
            + "answers them expired; nothing changes).")
    boolean force;

    @Option(names = "--show", paramLabel = "N", defaultValue = "20",
            description = "Commands to list with --dry-run (default: ${DEFAULT-VALUE}).")
    int show;

    @Spec
    CommandSpec spec;

    private record Found(ConsumerRecord<byte[], byte[]> record, CommandEnvelope command) {
        String position() {
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!from.isBefore(to)) {
            throw new OpsException(ExitCodes.USAGE, "--from must be before --to");
        }
        List<Found> found = new ArrayList<>();
        int unreadable = 0;
        try (LogReader log = new LogReader(kafka, Topics.COMMANDS.name())) {
            Map<TopicPartition, Long> start = log.offsetsAt(from);
            Map<TopicPartition, Long> end = log.offsetsAt(to);
            Progress reading = Progress.start(err, "replay: reading orders.commands.v1", LogReader.span(start, end));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            log.read(start, end, record -> {
                records.add(record);
                reading.advance(1);
            });
            reading.finish();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                try {
                    CommandEnvelope command = Json.read(record.value(), CommandEnvelope.class);
                    if (tenant == null || tenant.equals(command.tenantId())) {
                        found.add(new Found(record, command));
                    }
                } catch (RuntimeException e) {
                    unreadable++;
                }
            }
        }
        String scope = "from " + from + " to " + to + (tenant == null ? "" : " of tenant " + tenant);
        if (unreadable > 0) {
            err.printf("replay: %d unreadable records in the range are skipped (the processor parked them in the DLQ: "
                    + "orders-ops dlq list)%n", unreadable);
        }
        ProcessorTtl.Ttl ttl = processorTtl.resolve("replay", err);
        long expired = found.stream().filter(f -> ttl.expired(f.command().occurredAt())).count();
        if (expired > 0) {
            String why = expired + " of these " + found.size() + " commands occurred more than the idempotency TTL "
                    + ttl + " ago (before " + ttl.rememberedSince() + "): their keys may be forgotten, so the "
                    + "processor answers them expired (urn:order-stream:problem:command-expired) and decides none "
                    + "of them again";
            if (!force && !dryRun) {
                throw OpsException.refused("refused: " + why + ". Narrow the range to commands after "
                        + ttl.rememberedSince() + ", or send them anyway with --force (nothing changes).");
            }
            err.printf("replay: WARNING%s: %s%n", force ? " (--force)" : "", why);
        }
        if (dryRun) {
            out.printf("commands replay (dry run): %d commands %s would be re-produced; nothing was sent%n",
                    found.size(), scope);
            found.stream().limit(show).forEach(f -> out.printf("  %s  %s  %s/%s  key=%s  %s%n", f.position(),
                    Instant.ofEpochMilli(f.record().timestamp()), f.command().tenantId(), f.command().orderId(),
                    f.command().idempotencyKey(), f.command().command().getClass().getSimpleName()));
            if (found.size() > show) {
                out.printf("  … %d more (--show)%n", found.size() - show);
            }
            return ExitCodes.OK;
        }
        if (found.isEmpty()) {
            out.printf("commands replay: no commands %s; nothing sent%n", scope);
            return ExitCodes.OK;
        }

        Map<String, Found> byRequest = new LinkedHashMap<>();
        try (ResultWatcher results = new ResultWatcher(kafka);
                KafkaProducer<byte[], byte[]> producer = kafka.producer("replay")) {
            Progress sending = Progress.start(err, "replay: re-producing to orders.commands.v1", found.size());
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Found f : found) {
                String requestId = UUID.randomUUID().toString();
                sent.add(producer.send(copy(f.record(), requestId, UUID.randomUUID().toString(), f.position())));
                byRequest.put(requestId, f);
                sending.advance(1);
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw OpsException.error("sending a command failed: " + e.getCause().getMessage() + " ("
                            + sent.size() + " were being sent; those sent are applied once, re-running is safe)");
                }
            }
            sending.finish();

            Progress waiting = Progress.start(err, "replay: waiting for results", byRequest.size());
            Map<String, CommandResult> answered = results.await(byRequest.keySet(), wait, waiting);
            waiting.finish();
            return report(out, scope, byRequest, answered);
        }
    }

    /**
     * The original record with a new {@code requestId} and {@code commandId} in its value and
     * {@code x-replay-of} naming it; its key, its other headers and every other member of its value
     * are the original's (the JSON tree is edited, never read into a class that could drop a field).
     */
    static ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> original, String requestId,
            String commandId, String position) {
        ObjectNode value = (ObjectNode) Json.MAPPER.readTree(original.value());
        value.put("requestId", requestId);
        value.put("commandId", commandId);
        RecordHeaders headers = new RecordHeaders(original.headers().toArray());
        headers.remove(REPLAY_OF);
        headers.add(REPLAY_OF, position.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.COMMANDS.name(), null, original.key(), Json.MAPPER.writeValueAsBytes(value),
                headers);
    }

    private int report(PrintWriter out, String scope, Map<String, Found> byRequest, Map<String, CommandResult> answered) {
        long collapsed = 0;
        long changed = 0;
        long expired = 0;
        Map<CommandResult.Outcome, Long> other = new EnumMap<>(CommandResult.Outcome.class);
        for (CommandResult result : answered.values()) {
            if (result.replayed()) {
                collapsed++;
            } else if (result.outcome() == CommandResult.Outcome.EXPIRED) {
                expired++;
            } else if (result.outcome() == CommandResult.Outcome.APPLIED) {
                changed++;
            } else {
                other.merge(result.outcome(), 1L, Long::sum);
            }
        }
        long missing = byRequest.size() - answered.size();
        out.printf("commands replay: %s%n", scope);
        out.printf("  replayed: %d%n", byRequest.size());
        out.printf("  collapsed as duplicates (replayed=true): %d%n", collapsed);
        out.printf("  caused new changes: %d%n", changed);
        out.printf("  answered expired (older than the TTL, not decided, no change): %d%n", expired);
        out.printf("  decided again without a change: %d %s%n", other.values().stream().mapToLong(Long::longValue).sum(),
                other.isEmpty() ? "" : other);
        out.printf("  without a result within %s: %d%n", wait, missing);
        if (changed > 0) {
            out.println("  changed (they had not been applied before):");
            answered.forEach((requestId, result) -> {
                if (!result.replayed() && result.outcome() == CommandResult.Outcome.APPLIED) {
                    Found f = byRequest.get(requestId);
                    out.printf("    %s/%s key=%s (from %s)%n", result.tenantId(), result.orderId(),
                            f.command().idempotencyKey(), f.position());
                }
            });
        }
        if (missing > 0) {
            Map<String, String> late = new TreeMap<>();
            byRequest.forEach((requestId, f) -> {
                if (!answered.containsKey(requestId)) {
                    late.put(f.position(), requestId);
                }
            });
            out.println("  no result yet (is the processor running? they are in the log and will be applied once): "
                    + late.keySet().stream().limit(20).toList());
            return ExitCodes.FAILED_CHECK;
        }
        return ExitCodes.OK;
    }
}
