package io.orderstream.api.orders;

import io.orderstream.events.OrderState;
import java.util.List;

/**
 * One page of {@code GET /api/v1/orders}: newest first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
record OrderPage(List<OrderState> items, String nextCursor) {
}
