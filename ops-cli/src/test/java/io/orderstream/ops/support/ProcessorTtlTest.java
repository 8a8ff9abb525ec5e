package io.orderstream.ops.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which TTL the tools use when the processor has not recorded one, and how it is written. */
class ProcessorTtlTest {

    private final StringWriter err = new StringWriter();

    @Test
    void durations_takeTheServicesSyntax_andIso() {
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("PT24H")).isEqualTo(Duration.ofHours(24));
        for (String bad : new String[] {"", "24 hours", "h", "-5m", "0s", "PT0S", "1y"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void withoutARecordedTtl_theFlagComesFirst_thenTheEnvironment_thenTheProcessorsDefault() throws Exception {
        assertThat(unreachable(Duration.ofHours(2)).resolve("replay", new PrintWriter(err), Map.of(ProcessorTtl.ENV,
                "30m"))).isEqualTo(new ProcessorTtl.Ttl(Duration.ofHours(2), "--idempotency-ttl"));
        assertThat(unreachable(null).resolve("replay", new PrintWriter(err), Map.of(ProcessorTtl.ENV, "30m")))
                .isEqualTo(new ProcessorTtl.Ttl(Duration.ofMinutes(30), "env ORDERS_IDEMPOTENCY_TTL"));
        ProcessorTtl.Ttl fallback = unreachable(null).resolve("replay", new PrintWriter(err), Map.of());
        assertThat(fallback.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(fallback.toString()).isEqualTo("PT24H (the processor's default; nothing recorded or given)");
        assertThat(err.toString()).contains("replay: cannot connect to PostgreSQL at jdbc:postgresql://localhost:")
                .contains("falling back").doesNotContain("secret-password");
    }

    @Test
    void aBadEnvironmentValue_isAUsageError_namingTheVariable() throws Exception {
        assertThatThrownBy(() -> unreachable(null).resolve("replay", new PrintWriter(err),
                Map.of(ProcessorTtl.ENV, "a day")))
                .isInstanceOf(OpsException.class).hasMessageContaining("ORDERS_IDEMPOTENCY_TTL: 'a day' is not a duration")
                .satisfies(e -> assertThat(((OpsException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void aCommandIsExpired_fromExactlyOneTtlOld_theProcessorsRule() {
        ProcessorTtl.Ttl ttl = new ProcessorTtl.Ttl(Duration.ofHours(1), "test");
        assertThat(ttl.expired(Instant.now().minus(Duration.ofMinutes(61)))).isTrue();
        assertThat(ttl.expired(Instant.now().minus(Duration.ofMinutes(59)))).isFalse();
    }

    /** Options pointing at a port nothing listens on. */
    private static ProcessorTtl unreachable(Duration flag) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessorTtl options = new ProcessorTtl();
        options.db = new DbOptions();
        options.db.url = "jdbc:postgresql://localhost:" + port + "/orders?connectTimeout=2";
        options.db.user = "orders";
        options.db.password = "secret-password";
        options.applicationId = "order-processor";
        options.flag = flag;
        return options;
    }
}
