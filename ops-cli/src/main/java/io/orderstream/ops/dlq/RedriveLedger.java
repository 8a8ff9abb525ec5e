package io.orderstream.ops.dlq;

import io.orderstream.ops.support.OpsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which DLQ records were already sent back, kept as the committed offsets of a consumer group of
 * its own ({@code orders-ops-dlq-redriver}) and written in the same Kafka transaction as the
 * redriven commands: either both the commands and the ledger entry become visible, or neither.
 *
 * <p>Per DLQ partition the committed offset is a watermark (every record below it was redriven),
 * and its metadata lists the redriven offsets above it as ranges ({@code redriven:5-9,12}): records
 * can be redriven in any order, and a record still pending holds the watermark back.
 */
final class RedriveLedger {

    static final String DEFAULT_GROUP = "orders-ops-dlq-redriver";
    private static final String PREFIX = "redriven:";
    /** The broker's offset.metadata.max.bytes is 4096 by default. */
    private static final int MAX_METADATA = 4000;

    /** One DLQ partition's entry. */
    record Entry(long watermark, NavigableSet<Long> above) {

        static final Entry EMPTY = new Entry(0, new TreeSet<>());

        boolean redriven(long offset) {
            return offset < watermark || above.contains(offset);
        }

        /**
         * This entry after redriving {@code offsets}.
         *
         * @param records the offsets of every record in the partition, ascending (transaction markers
         *                take offsets too, so the watermark moves from record to record)
         * @param end     the partition's end: the watermark when every record has been redriven
         */
        Entry with(Set<Long> offsets, List<Long> records, long end) {
            TreeSet<Long> done = new TreeSet<>(above);
            done.addAll(offsets);
            long next = end;
            for (long record : records) {
                if (record >= watermark && !done.contains(record)) {
                    next = record;
                    break;
                }
            }
            return new Entry(Math.max(watermark, next), new TreeSet<>(done.tailSet(Math.max(watermark, next), true)));
        }

        String metadata() {
            StringBuilder text = new StringBuilder(PREFIX);
            Long start = null;
            Long previous = null;
            for (long offset : above) {
                if (previous != null && offset == previous + 1) {
                    previous = offset;
                    continue;
                }
                appendRange(text, start, previous);
                start = offset;
                previous = offset;
            }
            appendRange(text, start, previous);
            return text.toString();
        }

        private static void appendRange(StringBuilder text, Long start, Long end) {
            if (start == null) {
                return;
            }
            text.append(text.length() > PREFIX.length() ? "," : "").append(start);
            if (!start.equals(end)) {
                text.append('-').append(end);
            }
        }

        static Entry parse(long watermark, String metadata) {
            TreeSet<Long> above = new TreeSet<>();
            if (metadata != null && metadata.startsWith(PREFIX) && metadata.length() > PREFIX.length()) {
                for (String range : metadata.substring(PREFIX.length()).split(",")) {
                    int dash = range.indexOf('-');
                    long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                    long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
                    for (long offset = from; offset <= to; offset++) {
                        above.add(offset);
                    }
                }
            }
            return new Entry(watermark, above);
        }

        OffsetAndMetadata toCommit() {
            String metadata = metadata();
            if (metadata.length() > MAX_METADATA) {
                throw OpsException.refused("the redrive ledger cannot record this many records redriven past a pending "
                        + "one (" + above.size() + "); redrive the oldest pending records of the partition first");
            }
            return new OffsetAndMetadata(watermark, metadata);
        }
    }

    private final String group;
    private final Map<TopicPartition, Entry> entries;

    private RedriveLedger(String group, Map<TopicPartition, Entry> entries) {
        this.group = group;
        this.entries = entries;
    }

    /** The ledger as committed: pending transactions of a redrive still running are waited for. */
    static RedriveLedger read(Admin admin, String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw OpsException.error("cannot read the redrive ledger (consumer group " + group + "): "
                    + e.getCause().getMessage());
        }
        Map<TopicPartition, Entry> entries = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                entries.put(partition, Entry.parse(offset.offset(), offset.metadata()));
            }
        });
        return new RedriveLedger(group, entries);
    }

    String group() {
        return group;
    }

    boolean redriven(TopicPartition partition, long offset) {
        return entries.getOrDefault(partition, Entry.EMPTY).redriven(offset);
    }

    /** What to commit, with the redriven commands, to record {@code redriven}. */
    Map<TopicPartition, OffsetAndMetadata> after(Map<TopicPartition, Set<Long>> redriven,
            Map<TopicPartition, List<Long>> records, Map<TopicPartition, Long> end) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        redriven.forEach((partition, offsets) -> commit.put(partition, entries.getOrDefault(partition, Entry.EMPTY)
                .with(offsets, records.getOrDefault(partition, new ArrayList<>()), end.get(partition)).toCommit()));
        return commit;
    }
}
