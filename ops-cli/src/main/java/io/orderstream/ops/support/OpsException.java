package io.orderstream.ops.support;

/** A failure with a message meant for the operator, and the exit code it ends the command with. */
public class OpsException extends RuntimeException {

    private final int exitCode;

    public OpsException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public OpsException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The command could not do its work. */
    public static OpsException error(String message) {
        return new OpsException(ExitCodes.ERROR, message);
    }

    /** The command refuses: doing it would be unsafe. */
    public static OpsException refused(String message) {
        return new OpsException(ExitCodes.FAILED_CHECK, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
