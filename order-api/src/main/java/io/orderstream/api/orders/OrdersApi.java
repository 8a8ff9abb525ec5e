package io.orderstream.api.orders;

import io.orderstream.api.docs.ProblemResponses;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The OpenAPI description of the order endpoints ({@code /v3/api-docs}), beside the handlers of
 * {@link OrderController} but out of their way: springdoc reads these annotations through the
 * controller, which implements this interface. The mappings themselves stay on the controller.
 */
@Tag(name = "orders", description = "Order commands (idempotent) and reads of the projection")
interface OrdersApi {

    String ORDER_ID_DOC = "The order's id: 1-64 characters of [A-Za-z0-9._:-], starting with a letter or digit";

    @Operation(operationId = "placeOrder", summary = "Place an order",
            description = "Without `orderId`, the order's id is derived from the tenant and the Idempotency-Key, "
                    + "so that every duplicate addresses the same order.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PlaceOrderRequest.class))))
    @ApiResponse(responseCode = "201", description = "Placed (or, with `Idempotent-Replayed: true`, placed before "
            + "by the same request)", headers = @Header(name = "Location", description = "The order's URL",
                    schema = @Schema(type = "string", format = "uri-reference", example = "/api/v1/orders/o-1001")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderState.class)))
    @AcceptedResponse
    @ProblemResponses(idempotent = true, value = ProblemType.ORDER_ALREADY_EXISTS)
    void placeOrder(@Parameter(hidden = true) Jwt jwt, @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response, byte[] body) throws IOException;

    @Operation(operationId = "changeOrderStatus", summary = "Change an order's status",
            description = "Setting the status the order already has answers 200 with the order and records no event.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ChangeStatusRequest.class))))
    @ApiResponse(responseCode = "200", description = "The order after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderState.class)))
    @AcceptedResponse
    @ProblemResponses(idempotent = true, value = {ProblemType.ORDER_NOT_FOUND, ProblemType.INVALID_TRANSITION})
    void changeStatus(@Parameter(hidden = true) Jwt jwt, @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response,
            @Parameter(description = ORDER_ID_DOC) String orderId, byte[] body) throws IOException;

    @Operation(operationId = "listOrders", summary = "List the tenant's orders, newest first",
            description = "Keyset pagination: pass `nextCursor` of a page as `cursor` for the next one. Orders placed "
                    + "meanwhile never repeat or skip an order on later pages.")
    @ApiResponse(responseCode = "200", description = "A page of orders; `nextCursor` is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderPage.class)))
    @ProblemResponses(ProblemType.INVALID_PARAMETER)
    ResponseEntity<byte[]> listOrders(@Parameter(hidden = true) Jwt jwt,
            @Parameter(description = "Only orders in this status", schema = @Schema(implementation = OrderStatus.class))
            String status,
            @Parameter(description = "Orders per page", schema = @Schema(type = "integer", minimum = "1",
                    maximum = "" + OrderListQuery.MAX_LIMIT, defaultValue = "" + OrderListQuery.DEFAULT_LIMIT))
            String limit,
            @Parameter(description = "`nextCursor` of the previous page, unchanged (opaque)") String cursor);

    @Operation(operationId = "getOrder", summary = "Read an order",
            description = "From the PostgreSQL projection, which follows the event log within milliseconds.")
    @ApiResponse(responseCode = "200", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderState.class)))
    @ProblemResponses(ProblemType.ORDER_NOT_FOUND)
    ResponseEntity<byte[]> getOrder(@Parameter(hidden = true) Jwt jwt,
            @Parameter(description = ORDER_ID_DOC) String orderId);

    @Operation(operationId = "getOrderEvents", summary = "Read an order's event history",
            description = "The order's events as on `orders.events.v1`, in sequence order (1, 2, 3 …), from the "
                    + "projection.")
    @ApiResponse(responseCode = "200", description = "The events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderHistory.class)))
    @ProblemResponses(ProblemType.ORDER_NOT_FOUND)
    ResponseEntity<byte[]> getOrderEvents(@Parameter(hidden = true) Jwt jwt,
            @Parameter(description = ORDER_ID_DOC) String orderId);
}
