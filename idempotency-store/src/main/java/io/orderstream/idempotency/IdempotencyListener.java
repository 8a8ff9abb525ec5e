package io.orderstream.idempotency;

/**
 * Told of every lookup and purge, for metrics. Called on the stream thread: keep it cheap and
 * never throw.
 */
public interface IdempotencyListener {

    IdempotencyListener NONE = new IdempotencyListener() {
    };

    /** One lookup of a key in {@code scope}, and how long it took. */
    default void lookedUp(String scope, Lookup outcome, long nanos) {
    }

    /** A purge removed {@code expired} records. */
    default void purged(int expired) {
    }
}
