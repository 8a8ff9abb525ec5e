package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorTest {

    @Test
    void cursor_roundTrips_toTheMicrosecond_andIsOpaqueUrlSafeText() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-11-26T12:17:02.123456Z"), "order-7:a.b");

        String text = cursor.encode();

        assertThat(text).matches("[A-Za-z0-9_-]+").doesNotContain("order-7");
        assertThat(PageCursor.decode(text)).isEqualTo(cursor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "zzz", "not base64!", "b2F8MjAyNnxv", "%00", "eyJhbGciOiJub25lIn0"})
    void notACursorThisApiIssued_isAnInvalidParameterNamingCursor(String text) {
        assertThatThrownBy(() -> PageCursor.decode(text)).isInstanceOfSatisfying(ApiProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.INVALID_PARAMETER);
            assertThat(e.getMessage()).startsWith("cursor: ");
            assertThat(e.properties()).containsEntry(ApiProblemException.PARAMETER, "cursor");
        });
    }

    @Test
    void tamperedCursor_withAnImpossibleOrderIdOrTime_isRefused() {
        for (String forged : new String[] {"o1|2026-11-26T12:17:02Z|../../etc", "o1|yesterday|order-1",
            "o2|2026-11-26T12:17:02Z|order-1", "o1|2026-11-26T12:17:02Z|order-1|extra"}) {
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> PageCursor.decode(text)).as(forged).isInstanceOf(ApiProblemException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+300000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
        "-4714-11-24T00:00:00Z", "-5000-01-01T00:00:00Z", "0000-12-31T23:59:59.999999Z",
        "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z", "2026-11-26T12:17:02.123456789Z",
        "2026-11-26T12:17:02.0000001Z"})
    void cursorNamingAnInstantNoOrderCanHave_isAnInvalidParameterNamingCursor(String instant) {
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(("o1|" + instant + "|order-1")
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> PageCursor.decode(text)).isInstanceOfSatisfying(ApiProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.INVALID_PARAMETER);
            assertThat(e.properties()).containsEntry(ApiProblemException.PARAMETER, "cursor");
        });
    }

    @Test
    void cursorsAtTheEdgesOfTheRange_roundTrip() {
        for (Instant edge : new Instant[] {PageCursor.EARLIEST, PageCursor.LATEST, Instant.EPOCH}) {
            PageCursor cursor = new PageCursor(edge, "order-1");

            assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
        }
    }

    @Test
    void overlongCursor_isRefusedBeforeDecoding() {
        assertThatThrownBy(() -> PageCursor.decode("A".repeat(201))).isInstanceOf(ApiProblemException.class)
                .hasMessageStartingWith("cursor: ");
    }
}
