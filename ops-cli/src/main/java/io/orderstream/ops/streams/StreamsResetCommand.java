package io.orderstream.ops.streams;

import io.orderstream.events.Topics;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.OpsException;
import io.orderstream.ops.support.ProcessorTtl;
import io.orderstream.ops.support.Timestamps;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Moves the processor's committed input offsets with the Admin API, and nothing else: no internal
 * topic is deleted unless explicitly asked for and forced, because the changelogs of its stores are
 * the idempotency keys and order states that make re-processed commands collapse as duplicates.
 */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {
            "Resets the processor's committed offsets on its input topic (consumer group = Streams application id) "
                    + "to the earliest or latest offset or to a point in time, with Kafka's Admin API. Refuses while "
                    + "the group has active members: stop every processor instance first.",
            "Never deletes internal topics by itself. The stores' changelogs (<app-id>-idempotency-records-changelog, "
                    + "<app-id>-order-state-changelog) hold every idempotency key and order state: with them, "
                    + "re-processed commands collapse as duplicates; --delete-internal-topics is refused unless "
                    + "--force."})
final class StreamsResetCommand implements Callable<Integer> {

    static final List<String> STORE_CHANGELOGS = List.of("idempotency-records-changelog", "order-state-changelog");

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "The input topic whose offsets move (default: ${DEFAULT-VALUE}).")
    String topic = Topics.COMMANDS.name();

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Where to (exactly one):%n")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", description = "The first offset still in the topic: re-process everything.")
        boolean earliest;

        @Option(names = "--to-latest", description = "The end: skip everything not processed yet (it is never "
                + "processed).")
        boolean latest;

        @Option(names = "--to-datetime", paramLabel = "ISO-8601", converter = Timestamps.class,
                description = "The first offset at or after this time (e.g. 2026-11-26T10:00:00Z).")
        Instant datetime;
    }

    @Option(names = "--dry-run", description = "Show the plan; change nothing.")
    boolean dryRun;

    @Mixin
    ProcessorTtl processorTtl;

    @Option(names = "--delete-internal-topics",
            description = "Also delete the application's internal topics (changelogs, repartition topics), as "
                    + "Kafka's kafka-streams-application-reset does. Refused without --force.")
    boolean deleteInternalTopics;

    @Option(names = "--force", description = "Re-process commands older than the idempotency TTL too (the processor "
            + "answers them expired; nothing changes), and allow --delete-internal-topics, forgetting every "
            + "idempotency key and order state.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String applicationId = processorTtl.applicationId();
        try (Admin admin = kafka.admin()) {
            List<String> internal = internalTopics(admin);
            List<String> changelogs = internal.stream()
                    .filter(t -> STORE_CHANGELOGS.stream().anyMatch(c -> t.equals(applicationId + "-" + c))).toList();
            if (deleteInternalTopics && !changelogs.isEmpty()) {
                String warning = "deleting " + changelogs + " forgets every idempotency key and order state: "
                        + "commands re-processed after the reset are applied AGAIN (a duplicate is no longer "
                        + "recognised, an order placed before is placed anew or refused), and the event log gets "
                        + "events the orders already have";
                if (!force) {
                    throw OpsException.refused("refused: " + warning + ". The alternative: reset only the offsets "
                            + "(leave out --delete-internal-topics): the stores keep every key and state, so "
                            + "re-processed commands collapse as duplicates. To re-send a time range use "
                            + "'orders-ops commands replay'; to repair PostgreSQL, 'orders-ops projection rebuild'. "
                            + "Only with --force, knowing the consequence, are they deleted.");
                }
                err.println("streams reset: WARNING (--force): " + warning + ".");
            }

            ConsumerGroupDescription group = describe(admin);
            if (group != null && !group.members().isEmpty()) {
                String active = "the group " + applicationId + " has " + group.members().size() + " active member(s) ("
                        + group.members().stream().map(MemberDescription::clientId).collect(Collectors.joining(", "))
                        + "): stop every processor instance first; the offsets of a running application cannot be "
                        + "moved (it would overwrite them)";
                if (!dryRun) {
                    throw OpsException.refused("refused: " + active);
                }
                err.println("streams reset: the reset itself would be refused now: " + active);
            }

            List<TopicPartition> partitions = partitions(admin);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> wanted = target.earliest ? earliest : target.latest ? latest
                    : offsets(admin, partitions, OffsetSpec.forTimestamp(target.datetime.toEpochMilli()));
            ProcessorTtl.Ttl ttl = processorTtl.resolve("streams reset", err);
            Map<TopicPartition, Long> rememberedFrom = offsets(admin, partitions,
                    OffsetSpec.forTimestamp(ttl.rememberedSince().toEpochMilli()));

            out.printf("streams reset: group %s, topic %s, to %s%s%n", applicationId, topic,
                    target.earliest ? "earliest" : target.latest ? "latest" : target.datetime, dryRun ? " (dry run)" : "");
            out.printf("  %-9s %12s %12s %12s%n", "partition", "committed", "new", "change");
            Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
            long again = 0;
            long skipped = 0;
            long forgotten = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata current = committed.get(partition);
                long to = wanted.getOrDefault(partition, latest.get(partition));
                long from = current == null ? earliest.get(partition) : current.offset();
                if (to < from) {
                    again += from - to;
                    forgotten += Math.max(0, Math.min(from, rememberedFrom.get(partition)) - to);
                } else {
                    skipped += to - from;
                }
                reset.put(partition, new OffsetAndMetadata(to));
                out.printf("  %-9d %12s %12d %+12d%n", partition.partition(), current == null ? "none" : current.offset(),
                        to, to - from);
            }
            out.printf("  re-processes up to %d commands, skips up to %d (never processed)%n", again, skipped);
            if (forgotten > 0) {
                String why = "up to " + forgotten + " of the re-processed commands were written more than the "
                        + "idempotency TTL " + ttl + " ago (before " + ttl.rememberedSince() + "): their keys may be "
                        + "forgotten, so the processor answers them expired (urn:order-stream:problem:command-expired) "
                        + "and decides none of them again";
                if (!force && !dryRun) {
                    throw OpsException.refused("refused: " + why + ". Reset to a time after " + ttl.rememberedSince()
                            + " (--to-datetime), or reset anyway with --force (nothing changes for them).");
                }
                err.printf("streams reset: WARNING%s: %s%n", force ? " (--force)" : "", why);
            }
            if (dryRun) {
                out.println("streams reset: dry run, nothing changed");
                return ExitCodes.OK;
            }
            admin.alterConsumerGroupOffsets(applicationId, reset).all().get();
            out.printf("streams reset: committed offsets of %s on %s moved; internal topics kept%n", applicationId, topic);
            if (deleteInternalTopics && !internal.isEmpty()) {
                admin.deleteTopics(internal).all().get();
                out.printf("streams reset: deleted internal topics %s; delete the processor's state directory "
                        + "(ORDERS_STREAMS_STATE_DIR) on every instance before starting it%n", internal);
            }
            return ExitCodes.OK;
        }
    }

    private List<String> internalTopics(Admin admin) throws ExecutionException, InterruptedException {
        String applicationId = processorTtl.applicationId();
        Set<String> names = admin.listTopics().names().get();
        List<String> internal = new ArrayList<>(new TreeSet<>(names.stream()
                .filter(name -> name.startsWith(applicationId + "-")
                        && (name.endsWith("-changelog") || name.endsWith("-repartition")))
                .toList()));
        return internal;
    }

    private ConsumerGroupDescription describe(Admin admin) throws InterruptedException {
        String applicationId = processorTtl.applicationId();
        try {
            return admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw OpsException.error("cannot describe the group " + applicationId + ": " + e.getCause().getMessage());
        }
    }

    private List<TopicPartition> partitions(Admin admin) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (ExecutionException e) {
            throw OpsException.error("cannot describe topic " + topic + ": " + e.getCause().getMessage());
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, spec));
        Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(query,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        Map<TopicPartition, Long> latest = null;
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long offset = found.get(partition).offset();
            if (offset < 0) { // no record at or after the timestamp: the end
                if (latest == null) {
                    latest = offsets(admin, partitions, OffsetSpec.latest());
                }
                offset = latest.get(partition);
            }
            offsets.put(partition, offset);
        }
        return offsets;
    }
}
