package io.orderstream.processor.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.Problem;
import io.orderstream.events.SchemaVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The processor writes results without mapping them: what it writes is what {@link Json#write} would. */
class ResultJsonTest {

    /** Text that JSON escapes, or that a hand-written escaper gets wrong. */
    private static final List<String> TEXTS = List.of("acme", "o-1", "", "quote\"d", "back\\slash", "slash/</script>",
            "new\nline\ttab\rreturn\bback\fform", "\u0000\u0001\u001f\u007f", "é ü ß 中文", "emoji \ud83d\ude00",
            "line\u2028separator\u2029", "\u00a0nbsp");
    private static final List<Instant> INSTANTS = List.of(Instant.parse("2026-11-26T10:00:00Z"),
            Instant.parse("2026-11-26T10:00:00.120Z"), Instant.parse("2026-11-26T10:00:00.123456789Z"),
            Instant.EPOCH, Instant.parse("+12026-01-01T00:00:00Z"));

    @Test
    void everyResult_isWrittenAsJsonWriteWritesIt() {
        List<CommandResult> results = new ArrayList<>();
        for (String text : TEXTS) {
            for (Instant at : INSTANTS) {
                OrderState order = new OrderState(text, OrderStatus.PENDING, 3, text, "EUR", 2500,
                        List.of(new OrderLine(text, 2, 1250)), at, at);
                for (CommandResult.Outcome outcome : CommandResult.Outcome.values()) {
                    boolean success = outcome == CommandResult.Outcome.APPLIED
                            || outcome == CommandResult.Outcome.UNCHANGED;
                    for (boolean replayed : new boolean[] {false, true}) {
                        results.add(new CommandResult(SchemaVersions.RESULT, "req-" + text, text, text, text, outcome,
                                success ? 201 : 409, success ? order : null,
                                success ? null : new Problem("urn:x:" + text, text, 409, text), replayed, at));
                    }
                }
            }
        }

        for (CommandResult result : results) {
            Answer answer = new Answer(result.requestId(), result.commandId(), result.tenantId(), result.orderId(),
                    result.outcome(), result.status(), result.order() == null ? null : Json.write(result.order()),
                    result.problem() == null ? null : Json.write(result.problem()), result.replayed(),
                    result.processedAt());
            assertThat(new String(ResultJson.write(answer), java.nio.charset.StandardCharsets.UTF_8)).as(result.toString())
                    .isEqualTo(new String(Json.write(result), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
