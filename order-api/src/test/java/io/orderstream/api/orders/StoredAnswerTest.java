package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredAnswerTest {

    private static final Instant AT = Instant.parse("2026-12-01T12:00:00.123Z");
    // text that JSON escapes, and characters beyond ASCII: the slice is bytes, not characters
    private static final OrderState ORDER = new OrderState("o-1", OrderStatus.PROCESSING, 2, "c-\"ü\"\u20ac\ud83d\ude00",
            "EUR", 3998, List.of(new OrderLine("BOOK-{1}", 2, 1999)), AT, AT);

    @Test
    void theOrdersBytes_areTheProcessorsOwn_exactlyAsAFreshWriteWouldBe() {
        CommandResult result = new CommandResult(SchemaVersions.RESULT, "r-1", "c-1", "acme", "o-1",
                CommandResult.Outcome.APPLIED, 201, ORDER, null, false, AT);

        StoredAnswer answer = StoredAnswer.read(Json.write(result));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.replayed()).isFalse();
        assertThat(answer.orderId()).isEqualTo("o-1");
        assertThat(new String(answer.orderJson(), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.write(ORDER), StandardCharsets.UTF_8));
        assertThat(answer).usingRecursiveComparison().isEqualTo(StoredAnswer.of(result));
    }

    @Test
    void aProblem_isReadAsStored_withItsReplayFlag() {
        CommandResult result = new CommandResult(SchemaVersions.RESULT, "r-1", "c-1", "acme", "o-1",
                CommandResult.Outcome.REJECTED, 409, null, ProblemType.INVALID_TRANSITION.problem("CANCELED is final"),
                true, AT);

        StoredAnswer answer = StoredAnswer.read(Json.write(result));

        assertThat(answer.isSuccess()).isFalse();
        assertThat(answer.replayed()).isTrue();
        assertThat(answer.problem()).isEqualTo(result.problem());
        assertThat(answer.asReplay()).isSameAs(answer);
    }

    @Test
    void aValueThatIsNoResult_isRefused() {
        assertThatThrownBy(() -> StoredAnswer.read("{\"status\":201}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredAnswer.read("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
