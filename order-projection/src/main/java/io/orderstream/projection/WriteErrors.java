package io.orderstream.projection;

import java.sql.SQLException;

/**
 * Tells an event PostgreSQL cannot hold from a database that cannot be reached, by SQLState class:
 * {@code 22} (data exception: a NUL, a lone surrogate, a value too long, a numeric overflow …) and
 * {@code 23} (integrity constraint) belong to the event, and set it aside; anything else
 * ({@code 08} connection, {@code 53} resources, {@code 57} shut down, {@code 40} rollback, no
 * SQLState at all) is the database's, and is retried until it passes. Describes an error without its
 * message: PostgreSQL's messages quote the values they refuse, and those are customer data.
 */
public final class WriteErrors {

    private WriteErrors() {
    }

    /** The SQLState of the first {@link SQLException} in the chain, or {@code null}. */
    public static String sqlState(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** Whether the event itself cannot be written, so that retrying it can never succeed. */
    public static boolean isEventError(Throwable error) {
        if (error instanceof EventNotWritable) {
            return true;
        }
        String state = sqlState(error);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** What went wrong, without any value: the exception's class (and the projector's own reason). */
    public static String errorClass(Throwable error) {
        if (error instanceof EventNotWritable notWritable) {
            return notWritable.getMessage();
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException) {
                return cause.getClass().getSimpleName();
            }
        }
        return error.getClass().getSimpleName();
    }

    /**
     * For the log: a database error's SQLState and class; its message only when it cannot quote an
     * event (no SQLState, or class 08 connection), since that is what an operator needs to see.
     */
    public static String describe(Throwable error) {
        String state = sqlState(error);
        if (state == null) {
            return error.getClass().getSimpleName() + ": " + error.getMessage();
        }
        if (state.startsWith("08")) {
            for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof SQLException sql && state.equals(sql.getSQLState())) {
                    return sql.getClass().getSimpleName() + ": " + sql.getMessage();
                }
            }
        }
        return "SQLState " + state + " (" + errorClass(error) + ")";
    }

    /**
     * The projector cannot turn an event into rows (an event id that is no UUID, an order not at the
     * version the event follows). Its message names the reason only, never a value.
     */
    public static final class EventNotWritable extends RuntimeException {
        public EventNotWritable(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }
}
