package io.orderstream.api.orders;

import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderStatus;

/** Body of {@code PUT /api/v1/orders/{orderId}/status}. */
record ChangeStatusRequest(OrderStatus status, String reason) {

    OrderCommand.ChangeStatus toCommand() {
        return new OrderCommand.ChangeStatus(status, reason);
    }
}
