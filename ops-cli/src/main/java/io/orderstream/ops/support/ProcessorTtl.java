package io.orderstream.ops.support;

import io.orderstream.events.ProcessorDefaults;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The idempotency TTL the processor runs with, which decides which commands it still deduplicates:
 * it answers a command older than that expired and never decides it, so the tools refuse to re-send
 * such commands unless forced. Found, in this order, in the row the processor writes at start in
 * PostgreSQL ({@code processor_settings}), then {@code --idempotency-ttl}, then the environment's
 * {@code ORDERS_IDEMPOTENCY_TTL} (as the processor reads it), then the processor's default.
 */
public final class ProcessorTtl {

    public static final String ENV = "ORDERS_IDEMPOTENCY_TTL";
    /** The processor's default ({@code orders.idempotency.ttl}), for when nothing else says. */
    static final Duration PROCESSOR_DEFAULT = Durations.parse(ProcessorDefaults.IDEMPOTENCY_TTL);

    @Mixin
    DbOptions db;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:ORDERS_STREAMS_APPLICATION_ID:-" + ProcessorDefaults.STREAMS_APPLICATION_ID + "}",
            description = "The processor's Streams application id: its consumer group, internal topic prefix and row in "
                    + "processor_settings (env ORDERS_STREAMS_APPLICATION_ID; default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--idempotency-ttl", paramLabel = "DURATION",
            description = "The processor's idempotency TTL (e.g. 24h or PT24H), used only when the processor has not "
                    + "recorded it in PostgreSQL (processor_settings); then env ORDERS_IDEMPOTENCY_TTL, then "
                    + ProcessorDefaults.IDEMPOTENCY_TTL + ".")
    Duration flag;

    /** The TTL, and where it came from, as the command prints it. */
    public record Ttl(Duration ttl, String source) {

        /** Commands that occurred before this instant are answered expired. */
        public Instant rememberedSince() {
            return Instant.now().minus(ttl);
        }

        /** Whether the processor would answer a command of this time expired (the processor's own rule). */
        public boolean expired(Instant occurredAt) {
            return !occurredAt.isAfter(rememberedSince());
        }

        @Override
        public String toString() {
            return ttl + " (" + source + ")";
        }
    }

    public String applicationId() {
        return applicationId;
    }

    /** Looks the TTL up, and says on {@code err} which one is used and from where. */
    public Ttl resolve(String command, PrintWriter err) {
        Ttl ttl = resolve(command, err, System.getenv());
        err.printf("%s: idempotency TTL %s%n", command, ttl);
        return ttl;
    }

    Ttl resolve(String command, PrintWriter err, Map<String, String> env) {
        String unrecorded;
        try (Connection connection = db.connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT idempotency_ttl_ms, written_at FROM processor_settings WHERE application_id = ?")) {
            select.setString(1, applicationId);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    Duration recorded = Duration.ofMillis(row.getLong(1));
                    if (flag != null && !flag.equals(recorded)) {
                        err.printf("%s: --idempotency-ttl %s is not used: the processor records the TTL it runs with%n",
                                command, flag);
                    }
                    return new Ttl(recorded, "recorded by processor " + applicationId + " in processor_settings at "
                            + row.getTimestamp(2).toInstant());
                }
                unrecorded = "processor " + applicationId + " has not recorded its TTL in " + db.url();
            }
        } catch (OpsException e) {
            unrecorded = e.getMessage();
        } catch (SQLException e) {
            unrecorded = "cannot read processor_settings in " + db.url() + ": " + e.getMessage();
        }
        err.printf("%s: %s; falling back%n", command, unrecorded);
        if (flag != null) {
            return new Ttl(flag, "--idempotency-ttl");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                return new Ttl(Durations.parse(fromEnv), "env " + ENV);
            } catch (IllegalArgumentException e) {
                throw new OpsException(ExitCodes.USAGE, ENV + ": " + e.getMessage());
            }
        }
        return new Ttl(PROCESSOR_DEFAULT, "the processor's default; nothing recorded or given");
    }
}
