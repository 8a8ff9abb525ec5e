package io.orderstream.api.orders;

import io.orderstream.events.CommandValidation;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderLine;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** Body of {@code POST /api/v1/orders}. Unknown fields are refused. */
@Schema(name = "PlaceOrderRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record PlaceOrderRequest(
        @Schema(description = "Chosen by the client; derived from tenant and Idempotency-Key when absent",
                pattern = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$") String orderId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = CommandValidation.MAX_TEXT)
        String customerId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "ISO 4217 code", pattern = "^[A-Z]{3}$",
                example = "EUR") String currency,
        @ArraySchema(minItems = 1, maxItems = CommandValidation.MAX_LINES,
                arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED)) List<Line> lines) {

    @Schema(name = "PlaceOrderLine", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record Line(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = CommandValidation.MAX_TEXT)
            String sku,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1",
                    maximum = "" + CommandValidation.MAX_QUANTITY) Integer quantity,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0",
                    description = "In the currency's minor unit (cents)") Long unitPriceMinor) {
    }

    /** The command, or the first missing field as {@code field: message}. */
    OrderCommand.PlaceOrder toCommand() {
        List<OrderLine> commandLines = null;
        if (lines != null) {
            commandLines = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                if (line == null) {
                    throw RequestBodies.invalid("lines[" + i + "]: must be an object");
                }
                if (line.quantity() == null) {
                    throw RequestBodies.invalid("lines[" + i + "].quantity: is required");
                }
                if (line.unitPriceMinor() == null) {
                    throw RequestBodies.invalid("lines[" + i + "].unitPriceMinor: is required");
                }
                commandLines.add(new OrderLine(line.sku(), line.quantity(), line.unitPriceMinor()));
            }
        }
        return new OrderCommand.PlaceOrder(customerId, currency, commandLines);
    }
}
