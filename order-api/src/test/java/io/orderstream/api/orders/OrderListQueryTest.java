package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.ProblemType;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderListQueryTest {

    @Test
    void noParameters_meanAllStatuses_firstPage_twentyOrders() {
        assertThat(OrderListQuery.parse(null, null, null)).isEqualTo(new OrderListQuery(null, 20, null));
    }

    @Test
    void validParameters_areParsed() {
        PageCursor after = new PageCursor(Instant.parse("2026-01-01T00:00:00Z"), "o-1");

        OrderListQuery query = OrderListQuery.parse("SHIPPED", "100", after.encode());

        assertThat(query).isEqualTo(new OrderListQuery(OrderStatus.SHIPPED, 100, after));
        assertThat(OrderListQuery.parse(null, "1", null).limit()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "1000", "abc", "1.5", "", " 5", "1,2", "0x10", "99999999999"})
    void limitOutsideOneToHundred_isA400NamingLimit(String limit) {
        assertInvalid(() -> OrderListQuery.parse(null, limit, null), "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LOST", "pending", "", "PENDING,SHIPPED", "SHIPPED "})
    void unknownStatus_isA400NamingStatus_andListingTheValidOnes(String status) {
        assertInvalid(() -> OrderListQuery.parse(status, null, null), "status");
        assertThatThrownBy(() -> OrderListQuery.parse(status, null, null)).hasMessageContaining("PENDING");
    }

    @Test
    void badCursor_isA400NamingCursor() {
        assertInvalid(() -> OrderListQuery.parse(null, null, "garbage"), "cursor");
    }

    private static void assertInvalid(Runnable parse, String parameter) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.INVALID_PARAMETER);
            assertThat(e.getMessage()).startsWith(parameter + ": ");
            assertThat(e.properties()).containsEntry(ApiProblemException.PARAMETER, parameter);
        });
    }
}
