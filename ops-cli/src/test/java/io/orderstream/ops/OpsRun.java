package io.orderstream.ops;

import io.orderstream.local.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code orders-ops} in this JVM, as {@code main} would, against the test stack; captures what it prints. */
public final class OpsRun {

    /** What a run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private OpsRun() {
    }

    public static Result run(String... args) {
        return run(CommandLine.defaultFactory(), args);
    }

    public static Result run(CommandLine.IFactory factory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = OrdersOps.commandLine(factory);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** The command's arguments, then where Kafka is. */
    public static String[] withKafka(TestStack stack, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--bootstrap-servers=" + stack.bootstrapServers);
        return all.toArray(String[]::new);
    }

    /** The command's arguments, then where Kafka and PostgreSQL are. */
    public static String[] withKafkaAndDb(TestStack stack, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(withKafka(stack, args)));
        all.add("--db-url=" + stack.jdbcUrl);
        all.add("--db-user=" + stack.dbUser);
        all.add("--db-password=" + stack.dbPassword);
        return all.toArray(String[]::new);
    }
}
