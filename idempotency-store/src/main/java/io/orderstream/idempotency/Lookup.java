package io.orderstream.idempotency;

/** What the store knows of a (scope, key, fingerprint) at a moment. */
public sealed interface Lookup {

    /**
     * Never seen, or seen so long ago that the record expired: run the request and remember its
     * response.
     *
     * @param expired whether an expired record was found (and is now to be replaced)
     */
    record New(boolean expired) implements Lookup {
    }

    /** Seen with the same request: answer with the stored response, do nothing else. */
    record Replay(IdempotencyRecord record) implements Lookup {
    }

    /** Seen with another request: refuse (HTTP 422); the stored response stays as it is. */
    record Mismatch(IdempotencyRecord record) implements Lookup {
    }
}
