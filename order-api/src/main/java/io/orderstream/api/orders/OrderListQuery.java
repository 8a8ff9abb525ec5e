package io.orderstream.api.orders;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.OrderStatus;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The parameters of {@code GET /api/v1/orders}, checked: each wrong one is a 400 naming it.
 *
 * @param status only orders in this status; null for all
 * @param limit  at most this many orders, 1 to {@value #MAX_LIMIT}
 * @param after  the page starts after this order; null for the first page
 */
record OrderListQuery(OrderStatus status, int limit, PageCursor after) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    static OrderListQuery parse(String status, String limit, String cursor) {
        return new OrderListQuery(status(status), limit(limit), cursor == null ? null : PageCursor.decode(cursor));
    }

    private static OrderStatus status(String text) {
        if (text == null) {
            return null;
        }
        for (OrderStatus status : OrderStatus.values()) {
            if (status.name().equals(text)) {
                return status;
            }
        }
        throw ApiProblemException.invalidParameter("status", "must be one of " + Arrays.stream(OrderStatus.values())
                .map(Enum::name).collect(Collectors.joining(", ", "[", "]")));
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (text.matches("[0-9]{1,3}")) {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw ApiProblemException.invalidParameter("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }
}
