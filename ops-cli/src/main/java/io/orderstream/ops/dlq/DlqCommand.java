package io.orderstream.ops.dlq;

import io.orderstream.events.Topics;
import io.orderstream.ops.support.KafkaOptions;
import io.orderstream.ops.support.LogReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dlq", description = "Parked commands: orders.commands.dlq.v1.",
        subcommands = {DlqListCommand.class, DlqRedriveCommand.class})
public final class DlqCommand {

    /** The redriver's transactional id and the earlier ledger's group, for list and redrive alike. */
    static final class LedgerOption {
        @Option(names = "--ledger-group", paramLabel = "GROUP", defaultValue = RedriveLedger.DEFAULT_GROUP,
                description = "The redriver's transactional id, and the consumer group whose committed offsets were "
                        + "the redrive ledger before " + "orders.commands.dlq-redriven.v1 (still honoured, and carried "
                        + "over; default: ${DEFAULT-VALUE}).")
        String group;
    }

    /** Every committed record of the DLQ, and where each partition ends. */
    record Contents(List<DlqRecord> records, Map<TopicPartition, Long> end) {

        static Contents read(KafkaOptions kafka) {
            try (LogReader log = new LogReader(kafka, Topics.COMMANDS_DLQ.name())) {
                Map<TopicPartition, Long> end = log.endOffsets();
                List<DlqRecord> records = new ArrayList<>();
                log.read(log.beginningOffsets(), end, record -> records.add(new DlqRecord(record)));
                return new Contents(records, end);
            }
        }
    }
}
