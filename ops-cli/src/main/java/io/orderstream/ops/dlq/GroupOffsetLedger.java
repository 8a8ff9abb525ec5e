package io.orderstream.ops.dlq;

import io.orderstream.ops.support.OpsException;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The redrive ledger of earlier versions, read only so that what they redrove is honoured and
 * carried over into {@link RedriveLedger}: the committed offsets of a consumer group
 * ({@code orders-ops-dlq-redriver}). Brokers delete a group's offsets after
 * {@code offsets.retention.minutes} (7 days) without members, which is why it was replaced.
 *
 * <p>Per DLQ partition the committed offset is a watermark (every record below it was redriven),
 * and its metadata lists the redriven offsets above it as ranges ({@code redriven:5-9,12}).
 */
final class GroupOffsetLedger {

    private static final String PREFIX = "redriven:";

    /** One DLQ partition's entry. */
    record Entry(long watermark, NavigableSet<Long> above) {

        static final Entry EMPTY = new Entry(0, new TreeSet<>());

        boolean redriven(long offset) {
            return offset < watermark || above.contains(offset);
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
    }

    private final Map<TopicPartition, Entry> entries;

    private GroupOffsetLedger(Map<TopicPartition, Entry> entries) {
        this.entries = entries;
    }

    /** The group's committed offsets (none when the broker deleted them, or there never were any). */
    static GroupOffsetLedger read(Admin admin, String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new GroupOffsetLedger(Map.of());
            }
            throw OpsException.error("cannot read the earlier redrive ledger (consumer group " + group + "): "
                    + e.getCause().getMessage());
        }
        Map<TopicPartition, Entry> entries = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                entries.put(partition, Entry.parse(offset.offset(), offset.metadata()));
            }
        });
        return new GroupOffsetLedger(entries);
    }

    boolean redriven(TopicPartition partition, long offset) {
        return entries.getOrDefault(partition, Entry.EMPTY).redriven(offset);
    }
}
