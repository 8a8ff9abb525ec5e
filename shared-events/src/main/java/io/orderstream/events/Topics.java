package io.orderstream.events;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic of the system, in one place. All are keyed {@code tenant/orderId}. */
public final class Topics {

    public static final Topic<String, CommandEnvelope> COMMANDS =
            new Topic<>("orders.commands.v1", Serdes.String(), new JsonSerde<>(CommandEnvelope.class));

    /** The event log: never compacted, unlimited retention. */
    public static final Topic<String, EventEnvelope> EVENTS =
            new Topic<>("orders.events.v1", Serdes.String(), new JsonSerde<>(EventEnvelope.class));

    public static final Topic<String, CommandResult> COMMAND_RESULTS =
            new Topic<>("orders.command-results.v1", Serdes.String(), new JsonSerde<>(CommandResult.class));

    /** Commands that could not be processed: original key and bytes, error in headers. */
    public static final Topic<byte[], byte[]> COMMANDS_DLQ =
            new Topic<>("orders.commands.dlq.v1", Serdes.ByteArray(), Serdes.ByteArray());

    /**
     * The redrive ledger of {@code orders-ops dlq redrive}, its only writer: one record per DLQ record
     * sent back, keyed {@code partition@offset} of the DLQ record, its value when. Compacted and never
     * expired, as long-lived as the DLQ; written in the transaction that sends the records back. An
     * operations topic, not part of the message contract ({@link #ALL}).
     */
    public static final Topic<String, String> DLQ_REDRIVEN =
            new Topic<>("orders.commands.dlq-redriven.v1", Serdes.String(), Serdes.String());

    /** The topics of the message contract. */
    public static final List<Topic<?, ?>> ALL = List.of(COMMANDS, EVENTS, COMMAND_RESULTS, COMMANDS_DLQ);

    /** Headers of a DLQ record. */
    public static final class DlqHeaders {
        public static final String ERROR_CLASS = "x-error-class";
        public static final String ERROR_MESSAGE = "x-error-message";
        public static final String SOURCE_TOPIC = "x-source-topic";
        public static final String SOURCE_PARTITION = "x-source-partition";
        public static final String SOURCE_OFFSET = "x-source-offset";
        public static final String FAILED_AT = "x-failed-at";

        private DlqHeaders() {
        }
    }

    private Topics() {
    }
}
