package io.orderstream.api.orders;

import io.orderstream.events.CommandValidation;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code PUT /api/v1/orders/{orderId}/status}. Unknown fields are refused. */
@Schema(name = "ChangeStatusRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record ChangeStatusRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) OrderStatus status,
        @Schema(maxLength = CommandValidation.MAX_TEXT) String reason) {

    OrderCommand.ChangeStatus toCommand() {
        return new OrderCommand.ChangeStatus(status, reason);
    }
}
