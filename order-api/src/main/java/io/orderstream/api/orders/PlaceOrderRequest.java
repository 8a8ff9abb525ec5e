package io.orderstream.api.orders;

import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderLine;
import java.util.ArrayList;
import java.util.List;

/** Body of {@code POST /api/v1/orders}. */
record PlaceOrderRequest(String orderId, String customerId, String currency, List<Line> lines) {

    record Line(String sku, Integer quantity, Long unitPriceMinor) {
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
