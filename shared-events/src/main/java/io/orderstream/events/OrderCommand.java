package io.orderstream.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What a storefront asks of an order. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = OrderCommand.PlaceOrder.class, name = "PlaceOrder"),
        @JsonSubTypes.Type(value = OrderCommand.ChangeStatus.class, name = "ChangeStatus")})
public sealed interface OrderCommand {

    record PlaceOrder(String customerId, String currency, List<OrderLine> lines) implements OrderCommand {
        public PlaceOrder {
            lines = lines == null ? null : List.copyOf(lines);
        }
    }

    record ChangeStatus(OrderStatus status, String reason) implements OrderCommand {
    }
}
