package io.orderstream.ops.dlq;

import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.CommandValidation;
import io.orderstream.events.Json;
import io.orderstream.events.Topics;
import io.orderstream.events.Topics.DlqHeaders;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.OpsException;
import io.orderstream.ops.support.ProcessorTtl;
import io.orderstream.ops.support.Progress;
import io.orderstream.ops.support.ResultWatcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Sends chosen DLQ records back to {@code orders.commands.v1}, each at most once: the commands and
 * the ledger records recording them ({@link RedriveLedger}, a compacted topic that never expires)
 * are written in one Kafka transaction, whose transactional id fences any other redriver running at
 * the same time. Commands older than the processor's idempotency TTL are refused unless forced.
 */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = {
            "Sends chosen parked records back to orders.commands.v1 (original key and value, or a fixed value from "
                    + "--value-file), without their error headers and with x-redrive-of naming the DLQ record, then "
                    + "waits for their results.",
            "A DLQ record is never sent twice: the sends and their ledger records (orders.commands.dlq-redriven.v1, "
                    + "compacted, never expired) are one Kafka transaction. Records already redriven are skipped.",
            "Commands older than the idempotency TTL the processor runs with are refused unless --force: the "
                    + "processor would answer them expired and change nothing."})
final class DlqRedriveCommand implements Callable<Integer> {

    static final String REDRIVE_OF = "x-redrive-of";

    @Mixin
    KafkaOptions kafka;
    @Mixin
    DlqCommand.LedgerOption ledger;

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Which records (at least one; together they narrow):%n")
    Filter filter;

    static final class Filter {
        @Option(names = "--record", paramLabel = "PARTITION@OFFSET", split = ",",
                description = "These records, as dlq list shows them (e.g. 2@17).")
        List<String> records;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Records keyed TENANT/….")
        String tenant;

        @Option(names = "--error-class", paramLabel = "TEXT", description = "Records whose x-error-class contains TEXT.")
        String errorClass;

        @Option(names = "--all", description = "Every pending record.")
        boolean all;
    }

    @Option(names = "--value-file", paramLabel = "FILE",
            description = "Send this file's content instead of the parked value (a fixed command); needs exactly one "
                    + "chosen record.")
    Path valueFile;

    @Option(names = "--force", description = "Send anyway: values that are still not a readable command (they will be "
            + "parked again), and commands older than the idempotency TTL (answered expired, nothing changes).")
    boolean force;

    @Mixin
    ProcessorTtl processorTtl;

    @Option(names = "--dry-run", description = "Show what would be sent; send nothing.")
    boolean dryRun;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long to wait for the results (e.g. 30s or PT30S; default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Spec
    CommandSpec spec;

    private record Redrive(DlqRecord parked, byte[] key, byte[] value, CommandEnvelope command) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Admin admin = kafka.admin();
                KafkaProducer<byte[], byte[]> producer = kafka.transactionalProducer("dlq-redrive", ledger.group)) {
            // fences an earlier redriver and settles its transaction, so that the ledger read next is final
            producer.initTransactions();
            RedriveLedger redriven = RedriveLedger.read(admin, kafka, ledger.group);
            DlqCommand.Contents dlq = DlqCommand.Contents.read(kafka);
            List<DlqRecord> carryOver = redriven.toCarryOver(dlq.records());

            List<DlqRecord> matching = dlq.records().stream().filter(this::chosen).toList();
            List<DlqRecord> already = matching.stream().filter(redriven::redriven).toList();
            List<DlqRecord> pending = matching.stream().filter(r -> !redriven.redriven(r)).toList();
            already.forEach(r -> out.printf("%s  already redriven: skipped%n", r.id()));
            if (filter.records != null) {
                Set<String> known = new TreeSet<>(matching.stream().map(DlqRecord::id).toList());
                filter.records.stream().filter(id -> !known.contains(id))
                        .forEach(id -> out.printf("%s  no such record in %s%n", id, Topics.COMMANDS_DLQ.name()));
            }
            if (valueFile != null && pending.size() > 1) {
                throw new OpsException(ExitCodes.USAGE, "--value-file replaces one record's value, but "
                        + pending.size() + " pending records are chosen; choose one with --record");
            }
            List<Redrive> plan = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (DlqRecord parked : pending) {
                byte[] value = valueFile == null ? parked.record().value() : read(valueFile);
                CommandEnvelope command = null;
                try {
                    // read as the processor reads it: a record it would park again is not redriven
                    command = Json.readStrict(value, CommandEnvelope.class);
                    Optional<String> unkeepable = CommandValidation.unkeepableText(command);
                    if (unkeepable.isPresent()) {
                        unreadable.add(parked.id() + ": " + unkeepable.get());
                        command = null;
                    }
                } catch (RuntimeException e) {
                    unreadable.add(parked.id() + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
                byte[] key = command == null ? parked.record().key()
                        : command.key().toString().getBytes(StandardCharsets.UTF_8);
                plan.add(new Redrive(parked, key, value, command));
            }
            if (!unreadable.isEmpty() && !force) {
                unreadable.forEach(line -> out.println("still unreadable " + line));
                throw OpsException.refused(unreadable.size() + " chosen record(s) are still not a readable command and "
                        + "would only be parked again: fix the value with --value-file, or send them anyway with "
                        + "--force");
            }
            List<Redrive> readable = plan.stream().filter(r -> r.command() != null).toList();
            ProcessorTtl.Ttl ttl = readable.isEmpty() ? null : processorTtl.resolve("redrive", err);
            List<Redrive> expired = readable.stream().filter(r -> ttl.expired(r.command().occurredAt())).toList();
            if (!expired.isEmpty()) {
                expired.forEach(r -> out.printf("%s  occurred at %s, older than the idempotency TTL%n", r.parked().id(),
                        r.command().occurredAt()));
                String why = expired.size() + " chosen command(s) occurred more than the idempotency TTL " + ttl
                        + " ago: their keys may be forgotten, so the processor answers them expired "
                        + "(urn:order-stream:problem:command-expired) and decides none of them";
                if (!force && !dryRun) {
                    throw OpsException.refused("refused: " + why + ". Leave them out (--record), or send them anyway "
                            + "with --force (nothing changes).");
                }
                err.printf("redrive: WARNING%s: %s%n", force ? " (--force)" : "", why);
            }
            if (plan.isEmpty()) {
                if (!carryOver.isEmpty() && !dryRun) {
                    try {
                        producer.beginTransaction();
                        carryOver.forEach(r -> producer.send(RedriveLedger.entry(r, Instant.now())));
                        producer.commitTransaction();
                    } catch (RuntimeException failed) {
                        abortQuietly(producer);
                        throw failed;
                    }
                    out.printf("dlq redrive: carried %d records of the earlier ledger (group %s) over into %s%n",
                            carryOver.size(), ledger.group, Topics.DLQ_REDRIVEN.name());
                }
                out.printf("dlq redrive: nothing to send (%d matching records, %d already redriven)%n",
                        matching.size(), already.size());
                return ExitCodes.OK;
            }
            if (dryRun) {
                plan.forEach(r -> out.printf("%s  would send key=%s %s%n", r.parked().id(),
                        new String(r.key(), StandardCharsets.UTF_8), r.command() == null ? "(unreadable value)"
                                : "requestId=" + r.command().requestId()));
                out.printf("dlq redrive (dry run): %d records would be sent; nothing was sent%n", plan.size());
                return ExitCodes.OK;
            }

            Map<String, Redrive> byRequest = new LinkedHashMap<>();
            Map<Redrive, Future<RecordMetadata>> sent = new LinkedHashMap<>();
            try (ResultWatcher results = new ResultWatcher(kafka)) {
                producer.beginTransaction();
                for (Redrive redrive : plan) {
                    RecordHeaders headers = new RecordHeaders(redrive.parked().record().headers().toArray());
                    DlqRecord.ERROR_HEADERS.forEach(headers::remove);
                    headers.remove(REDRIVE_OF);
                    headers.add(REDRIVE_OF, (Topics.COMMANDS_DLQ.name() + "-" + redrive.parked().id())
                            .getBytes(StandardCharsets.UTF_8));
                    sent.put(redrive, producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, redrive.key(),
                            redrive.value(), headers)));
                    producer.send(RedriveLedger.entry(redrive.parked(), Instant.now()));
                    if (redrive.command() != null) {
                        byRequest.put(redrive.command().requestId(), redrive);
                    }
                }
                carryOver.forEach(r -> producer.send(RedriveLedger.entry(r, Instant.now())));
                producer.commitTransaction();

                Progress waiting = Progress.start(err, "redrive: waiting for results", byRequest.size());
                Map<String, CommandResult> answered = results.await(byRequest.keySet(), wait, waiting);
                waiting.finish();
                int missing = 0;
                for (Map.Entry<Redrive, Future<RecordMetadata>> entry : sent.entrySet()) {
                    Redrive redrive = entry.getKey();
                    RecordMetadata at = entry.getValue().get();
                    CommandResult result = redrive.command() == null ? null
                            : answered.get(redrive.command().requestId());
                    String outcome;
                    if (redrive.command() == null) {
                        outcome = "sent unreadable (--force): it will be parked again";
                    } else if (result == null) {
                        outcome = "no result within " + wait + " (is the processor running? it is in the log and "
                                + "will be applied once)";
                        missing++;
                    } else {
                        outcome = result.outcome() + " " + result.status() + (result.replayed() ? " (replayed)" : "")
                                + (result.problem() == null ? "" : ": " + result.problem().detail());
                    }
                    out.printf("%s  -> %s-%d@%d  %s  %s%n", redrive.parked().id(), at.topic(), at.partition(),
                            at.offset(), new String(redrive.key(), StandardCharsets.UTF_8), outcome);
                }
                out.printf("dlq redrive: %d records sent back to %s and recorded in the ledger %s%s%n",
                        sent.size(), Topics.COMMANDS.name(), Topics.DLQ_REDRIVEN.name(),
                        already.isEmpty() ? "" : "; " + already.size() + " already redriven were skipped");
                return missing == 0 ? ExitCodes.OK : ExitCodes.FAILED_CHECK;
            } catch (RuntimeException failed) {
                abortQuietly(producer);
                throw failed;
            }
        }
    }

    private boolean chosen(DlqRecord record) {
        if (filter.records != null && !filter.records.contains(record.id())) {
            return false;
        }
        if (filter.tenant != null && (record.key() == null || !record.key().startsWith(filter.tenant + "/"))) {
            return false;
        }
        String errorClass = record.header(DlqHeaders.ERROR_CLASS);
        return filter.errorClass == null || (errorClass != null && errorClass.contains(filter.errorClass));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OpsException(ExitCodes.USAGE, "cannot read --value-file " + file + ": " + e.getMessage());
        }
    }

    private static void abortQuietly(KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException ignored) {
            // not in a transaction, or fenced: either way nothing of it becomes visible
        }
    }
}
