package io.orderstream.processor.orders;

import io.orderstream.events.MessageHeaders;
import io.orderstream.events.Traceparent;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of the command path inside the processor: one for each command handled, a child of the
 * trace its {@code traceparent} carries (or of a trace started here), and under it one for each
 * record the command writes (events, result), whose {@code traceparent} the record carries, so
 * that whoever reads it (the projector, the API, a downstream service) continues the same trace.
 */
public interface CommandTracing {

    /** Starts the span of the command whose record carries {@code headers}; current until closed. */
    Handling start(Headers headers);

    /** The span of one command. */
    interface Handling extends AutoCloseable {

        /**
         * A span for one record written to {@code topic}, a child of the command's; the returned
         * trace position goes into the record's headers. The span ends at once: Kafka Streams sends
         * the record when its transaction commits.
         */
        Traceparent send(String topic);

        /** The command failed with an error that is not its own (the transaction aborts). */
        void failed(Throwable error);

        @Override
        void close();
    }

    /**
     * No span recorded: the trace of the headers continues with a new span id per record written,
     * as W3C Trace Context asks of a hop that records nothing (topology tests, tools).
     */
    CommandTracing HEADERS_ONLY = headers -> unrecorded(MessageHeaders.lastString(headers,
            MessageHeaders.TRACEPARENT).flatMap(Traceparent::parse).orElseGet(Traceparent::start), () -> { });

    /** A command handled without a span: each record written continues {@code hop}'s trace, a child of it. */
    static Handling unrecorded(Traceparent hop, Runnable onClose) {
        return new Handling() {
            @Override
            public Traceparent send(String topic) {
                return hop.child();
            }

            @Override
            public void failed(Throwable error) {
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
