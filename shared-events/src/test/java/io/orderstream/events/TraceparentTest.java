package io.orderstream.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidHeader_isParsed_andItsChildKeepsTheTraceWithANewSpan() {
        Traceparent parent = Traceparent.parse(VALID).orElseThrow();

        Traceparent child = parent.child();

        assertThat(parent.toString()).isEqualTo(VALID);
        assertThat(child.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(child.flags()).isEqualTo("01");
        assertThat(child.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(parent.spanId());
        assertThat(Traceparent.parse(child.toString())).hasValue(child);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    void anInvalidHeader_isIgnored(String value) {
        assertThat(Traceparent.parse(value)).isEmpty();
    }

    @Test
    void aFutureVersion_isReadByItsFirstFields() {
        assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more"))
                .hasValueSatisfying(t -> assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    @Test
    void aStartedTrace_isValid() {
        Traceparent started = Traceparent.start();

        assertThat(Traceparent.parse(started.toString())).hasValue(started);
    }

    @Test
    void messageHeaders_describeTheMessage_andContinueTheTrace() {
        Headers input = new RecordHeaders();
        input.add(MessageHeaders.TRACEPARENT, VALID.getBytes(StandardCharsets.UTF_8));
        input.add(MessageHeaders.SCHEMA, "orders.command".getBytes(StandardCharsets.UTF_8));
        input.add("x-custom", "kept".getBytes(StandardCharsets.UTF_8));

        Headers output = MessageHeaders.of(MessageSchema.EVENT, input);

        assertThat(MessageHeaders.lastString(output, MessageHeaders.CONTENT_TYPE)).hasValue("application/json");
        assertThat(MessageHeaders.lastString(output, MessageHeaders.SCHEMA)).hasValue("orders.event");
        assertThat(MessageHeaders.lastString(output, MessageHeaders.SCHEMA_VERSION))
                .hasValue(Integer.toString(SchemaVersions.EVENT));
        assertThat(MessageHeaders.lastString(output, "x-custom")).hasValue("kept");
        assertThat(output.headers(MessageHeaders.SCHEMA)).hasSize(1);
        Traceparent trace = Traceparent.parse(MessageHeaders.lastString(output, MessageHeaders.TRACEPARENT)
                .orElseThrow()).orElseThrow();
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(trace.spanId()).isNotEqualTo("00f067aa0ba902b7");
        assertThat(MessageHeaders.lastString(input, MessageHeaders.SCHEMA)).as("input untouched")
                .hasValue("orders.command");
        assertThat(MessageHeaders.lastString(MessageHeaders.of(MessageSchema.RESULT, new RecordHeaders()),
                MessageHeaders.TRACEPARENT)).hasValueSatisfying(value ->
                assertThat(Traceparent.parse(value)).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "01", "02", "03", "fe", "ff"})
    void sampled_isTheLowestBitOfTheFlags(String flags) {
        Traceparent trace = Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-" + flags)
                .orElseThrow();

        assertThat(trace.sampled()).isEqualTo((Integer.parseInt(flags, 16) & 1) == 1);
        assertThat(trace.child().sampled()).as("a child keeps the decision").isEqualTo(trace.sampled());
    }
}
