package io.orderstream.idempotency;

/** A response larger than the policy allows was offered for storage; nothing was stored. */
public class ResponseTooLargeException extends IllegalArgumentException {

    private final int size;
    private final int limit;

    public ResponseTooLargeException(int size, int limit) {
        super("a response of " + size + " bytes exceeds the idempotency store's bound of " + limit
                + " bytes; it was not stored (raise maxResponseBytes, or keep responses smaller)");
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
