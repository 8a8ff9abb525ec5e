package io.orderstream.ops.dlq;

import io.orderstream.events.Topics.DlqHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** A parked record of {@code orders.commands.dlq.v1}, as an operator reads it. */
record DlqRecord(ConsumerRecord<byte[], byte[]> record) {

    /** Headers the processor adds when it parks a record; a redriven record goes back without them. */
    static final List<String> ERROR_HEADERS = List.of(DlqHeaders.ERROR_CLASS, DlqHeaders.ERROR_MESSAGE,
            DlqHeaders.SOURCE_TOPIC, DlqHeaders.SOURCE_PARTITION, DlqHeaders.SOURCE_OFFSET, DlqHeaders.FAILED_AT);

    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    long offset() {
        return record.offset();
    }

    /** {@code partition@offset}, what {@code --record} takes. */
    String id() {
        return record.partition() + "@" + record.offset();
    }

    String key() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    String header(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    String source() {
        String topic = header(DlqHeaders.SOURCE_TOPIC);
        return topic == null ? "?" : topic + "-" + header(DlqHeaders.SOURCE_PARTITION) + "@"
                + header(DlqHeaders.SOURCE_OFFSET);
    }

    Instant timestamp() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    /** The value's first characters, control characters escaped, and its size. */
    String preview(int length) {
        if (record.value() == null) {
            return "(no value)";
        }
        String text = new String(record.value(), StandardCharsets.UTF_8);
        StringBuilder preview = new StringBuilder();
        for (int i = 0; i < text.length() && preview.length() < length; i++) {
            char c = text.charAt(i);
            preview.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return preview + (text.length() > length ? "…" : "") + " (" + record.value().length + " bytes)";
    }
}
