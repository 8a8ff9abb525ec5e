package io.orderstream.ops;

import io.orderstream.ops.commands.CommandsCommand;
import io.orderstream.ops.dlq.DlqCommand;
import io.orderstream.ops.projection.ProjectionCommand;
import io.orderstream.ops.streams.StreamsCommand;
import io.orderstream.ops.verify.DeploymentVerifyCommand;
import io.orderstream.ops.support.Durations;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.OpsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code orders-ops}: one command for each thing an operator of Order Stream has to do after an
 * incident. Talks to the same Kafka and PostgreSQL as the services. See docs/operations.md.
 */
@Command(name = "orders-ops", mixinStandardHelpOptions = true, version = "orders-ops 0.1.0",
        description = "Operations for Order Stream: rebuild and verify the PostgreSQL projection, replay commands, "
                + "redrive the dead-letter topic, reset the processor's input offsets, verify a deployment over HTTP. Progress goes to stderr, "
                + "results to stdout. Runbook: docs/operations.md.",
        subcommands = {ProjectionCommand.class, CommandsCommand.class, DlqCommand.class, StreamsCommand.class,
                DeploymentVerifyCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0    done, and what was checked holds",
                "  1    a check failed, or an unsafe step was refused",
                "  2    wrong options or arguments",
                "  3    could not do the work (Kafka or PostgreSQL unreachable, unexpected error)",
                "  130  interrupted (Ctrl-C): what was not finished was left untouched"})
public final class OrdersOps implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace; print the Kafka clients' warnings.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The command line as {@link #main} runs it: errors as one clear message and an exit code. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(new OrdersOps(), factory);
        commandLine.setExecutionExceptionHandler(OrdersOps::failed);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // every duration, of every subcommand, as the services take theirs (10s, 24h) or ISO-8601 (PT10S)
        commandLine.registerConverter(Duration.class, new Durations());
        return commandLine;
    }

    private static int failed(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        Throwable cause = rootOf(failure);
        int exitCode;
        String message;
        if (failure instanceof OpsException ops) {
            exitCode = ops.exitCode();
            message = ops.getMessage();
        } else if (failure instanceof InterruptException || failure instanceof InterruptedException) {
            exitCode = ExitCodes.INTERRUPTED;
            message = "interrupted";
        } else if (cause instanceof TimeoutException || failure instanceof TimeoutException) {
            exitCode = ExitCodes.ERROR;
            message = "Kafka did not answer in time (" + failure.getMessage() + "); is the broker running, and are "
                    + "--bootstrap-servers / ORDERS_KAFKA_BOOTSTRAP_SERVERS right?";
        } else if (failure instanceof SQLException sql) {
            exitCode = ExitCodes.ERROR;
            message = "PostgreSQL: " + sql.getMessage() + (sql.getSQLState() == null ? "" : " [" + sql.getSQLState() + "]");
        } else if (failure instanceof KafkaException) {
            exitCode = ExitCodes.ERROR;
            message = "Kafka: " + failure.getMessage();
        } else {
            exitCode = ExitCodes.ERROR;
            message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        err.println(command.getColorScheme().errorText(command.getCommandSpec().qualifiedName() + ": " + message));
        if (verbose(parsed)) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        } else if (exitCode == ExitCodes.ERROR) {
            err.println("(--verbose prints the stack trace)");
        }
        err.flush();
        return exitCode;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult result = parsed; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    public static void main(String[] args) {
        boolean verbose = Arrays.stream(args).anyMatch(arg -> arg.equals("-v") || arg.equals("--verbose"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

        // Ctrl-C: interrupt the command and give it time to leave things as they were
        Thread worker = Thread.currentThread();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            worker.interrupt();
            try {
                worker.join(30_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "orders-ops-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        int exitCode = commandLine().execute(args);
        if (stopping.get()) {
            return; // the JVM is already exiting (130); System.exit now would wait for the hook forever
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        System.exit(exitCode);
    }
}
