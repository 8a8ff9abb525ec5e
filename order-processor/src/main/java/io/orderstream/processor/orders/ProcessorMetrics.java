package io.orderstream.processor.orders;

import io.orderstream.events.CommandResult;
import io.orderstream.idempotency.IdempotencyListener;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What the command processor reports, besides the idempotency store's lookups. Called on stream
 * threads: implementations are thread-safe, cheap, and never throw.
 */
public interface ProcessorMetrics extends IdempotencyListener {

    ProcessorMetrics NONE = new ProcessorMetrics() {
    };

    /** A command was answered (including replays, {@code replayed = true}). */
    default void answered(String tenant, CommandResult.Outcome outcome, boolean replayed) {
    }

    /** A command was parked in the DLQ. */
    default void parked(String errorClass) {
    }

    /** A task's idempotency store holds about {@code keys} keys; {@code -1} when the task closed. */
    default void storeSize(TaskId task, long keys) {
    }
}
