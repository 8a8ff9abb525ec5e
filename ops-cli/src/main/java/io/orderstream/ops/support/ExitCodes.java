package io.orderstream.ops.support;

/** What {@code orders-ops} exits with; the runbook lists them. */
public final class ExitCodes {

    /** Done, and what was checked holds. */
    public static final int OK = 0;
    /** The command ran and found a problem (mismatches, missing results), or refused an unsafe step. */
    public static final int FAILED_CHECK = 1;
    /** Wrong options or arguments. */
    public static final int USAGE = 2;
    /** It could not do its work (Kafka or PostgreSQL unreachable, an unexpected error). */
    public static final int ERROR = 3;
    /** Stopped by Ctrl-C or an interrupt; whatever was not finished was left untouched. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
