package io.orderstream.ops.dlq;

import io.orderstream.events.TopicDefinitions;
import io.orderstream.events.Topics;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.LogReader;
import io.orderstream.ops.support.OpsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Which DLQ records were already sent back: {@code orders.commands.dlq-redriven.v1}
 * ({@link Topics#DLQ_REDRIVEN}), a compacted topic that is never expired, one record per redriven
 * DLQ record keyed by its {@code partition@offset}. It lasts as long as the DLQ does. Its records are
 * written in the same Kafka transaction as the redriven commands: either both become visible, or
 * neither, so a crash between sending and recording cannot send a record twice.
 *
 * <p>The ledger of earlier versions, the committed offsets of the consumer group named by
 * {@code --ledger-group} ({@link GroupOffsetLedger}), is honoured while the broker still has it, and
 * what it holds is carried over into the topic by the next redrive.
 */
final class RedriveLedger {

    /** The redriver's transactional id, and the consumer group of the earlier ledger. */
    static final String DEFAULT_GROUP = "orders-ops-dlq-redriver";

    private final Set<String> recorded;
    private final GroupOffsetLedger earlier;

    private RedriveLedger(Set<String> recorded, GroupOffsetLedger earlier) {
        this.recorded = recorded;
        this.earlier = earlier;
    }

    /**
     * The ledger as committed. Read after the redriver's {@code initTransactions}, which settles any
     * transaction an earlier redriver left open, so this is final. Creates the topic when missing.
     */
    static RedriveLedger read(Admin admin, KafkaOptions kafka, String group) throws InterruptedException {
        Set<String> recorded = new HashSet<>();
        if (created(admin)) { // new, so empty: nothing to read (its metadata may not have reached every broker)
            return new RedriveLedger(recorded, GroupOffsetLedger.read(admin, group));
        }
        try (LogReader log = new LogReader(kafka, Topics.DLQ_REDRIVEN.name())) {
            log.read(log.beginningOffsets(), log.endOffsets(), record -> {
                String id = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    recorded.remove(id);
                } else {
                    recorded.add(id);
                }
            });
        }
        return new RedriveLedger(recorded, GroupOffsetLedger.read(admin, group));
    }

    /** Creates the topic when it is missing; whether it did. */
    private static boolean created(Admin admin) throws InterruptedException {
        try {
            if (admin.listTopics().names().get().contains(Topics.DLQ_REDRIVEN.name())) {
                return false;
            }
            admin.createTopics(List.of(TopicDefinitions.redriveLedger((short) 0))).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw OpsException.error("cannot create the redrive ledger " + Topics.DLQ_REDRIVEN.name() + ": "
                    + e.getCause().getMessage());
        }
    }

    boolean redriven(DlqRecord record) {
        return recorded.contains(record.id()) || earlier.redriven(record.partition(), record.offset());
    }

    /** Records the earlier ledger marks redriven that the topic does not hold yet. */
    List<DlqRecord> toCarryOver(Collection<DlqRecord> records) {
        return records.stream().filter(r -> !recorded.contains(r.id()) && earlier.redriven(r.partition(), r.offset()))
                .toList();
    }

    /** The ledger record saying {@code record} was sent back at {@code when}; sent in the redrive's transaction. */
    static ProducerRecord<byte[], byte[]> entry(DlqRecord record, Instant when) {
        return new ProducerRecord<>(Topics.DLQ_REDRIVEN.name(), record.id().getBytes(StandardCharsets.UTF_8),
                when.toString().getBytes(StandardCharsets.UTF_8));
    }
}
