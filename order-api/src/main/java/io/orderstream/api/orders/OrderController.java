package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.docs.ProblemResponses;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.Problems;
import io.orderstream.api.security.Tenants;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.CommandValidation;
import io.orderstream.events.Json;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderKey;
import io.orderstream.events.ProblemType;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Traceparent;
import io.orderstream.idempotency.RequestFingerprint;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Order commands and reads. A command is validated, fingerprinted and sent to
 * {@code orders.commands.v1}; the request then waits, bounded, for its result. Duplicates are the
 * processor's business: whatever it answers (new, replay, 422) is what the client gets.
 */
@RestController
@RequestMapping("/api/v1/orders")
@Tag(name = "orders", description = "Order commands (idempotent) and reads of the projection")
class OrderController {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final String ORDER_ID_DOC = "The order's id: 1-64 characters of [A-Za-z0-9._:-], starting with a "
            + "letter or digit";
    private static final String ORDERS_PATH = "/api/v1/orders";
    private static final String NO_SUCH_ORDER = "No such order.";
    private static final Logger log = LoggerFactory.getLogger(OrderController.class);

    private final CommandGateway gateway;
    private final OrderQueries queries;
    private final ApiProperties properties;

    OrderController(CommandGateway gateway, OrderQueries queries, ApiProperties properties) {
        this.gateway = gateway;
        this.queries = queries;
        this.properties = properties;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
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
    CompletableFuture<ResponseEntity<?>> placeOrder(@Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt,
            HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        String tenant = Tenants.of(jwt);
        String key = IdempotencyKeys.require(request);
        PlaceOrderRequest place = RequestBodies.read(body, PlaceOrderRequest.class);
        String orderId = place.orderId() == null ? OrderKey.derive(tenant, key) : place.orderId();
        if (!OrderKey.isValidOrderId(orderId)) {
            throw RequestBodies.invalid("orderId: must match " + OrderKey.ORDER_ID.pattern());
        }
        OrderCommand.PlaceOrder command = place.toCommand();
        RequestBodies.validate(command);
        return submit(tenant, jwt.getSubject(), request, orderId, key,
                RequestFingerprint.of("POST", ORDERS_PATH, body), command);
    }

    @PutMapping(path = "/{orderId}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
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
    CompletableFuture<ResponseEntity<?>> changeStatus(@Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt,
            HttpServletRequest request, @Parameter(description = ORDER_ID_DOC) @PathVariable String orderId,
            @RequestBody(required = false) byte[] body) {
        String tenant = Tenants.of(jwt);
        String key = IdempotencyKeys.require(request);
        validOrderId(orderId);
        OrderCommand.ChangeStatus command = RequestBodies.read(body, ChangeStatusRequest.class).toCommand();
        RequestBodies.validate(command);
        String path = ORDERS_PATH + "/" + orderId + "/status";
        return submit(tenant, jwt.getSubject(), request, orderId, key, RequestFingerprint.of("PUT", path, body),
                command);
    }

    @GetMapping
    @Operation(operationId = "listOrders", summary = "List the tenant's orders, newest first",
            description = "Keyset pagination: pass `nextCursor` of a page as `cursor` for the next one. Orders placed "
                    + "meanwhile never repeat or skip an order on later pages.")
    @ApiResponse(responseCode = "200", description = "A page of orders; `nextCursor` is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderPage.class)))
    @ProblemResponses(ProblemType.INVALID_PARAMETER)
    ResponseEntity<byte[]> listOrders(@Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt,
            @Parameter(description = "Only orders in this status", schema = @Schema(implementation = OrderStatus.class))
            @RequestParam(required = false) String status,
            @Parameter(description = "Orders per page", schema = @Schema(type = "integer", minimum = "1",
                    maximum = "" + OrderListQuery.MAX_LIMIT, defaultValue = "" + OrderListQuery.DEFAULT_LIMIT))
            @RequestParam(required = false) String limit,
            @Parameter(description = "`nextCursor` of the previous page, unchanged (opaque)")
            @RequestParam(required = false) String cursor) {
        String tenant = Tenants.of(jwt);
        return json(queries.page(tenant, OrderListQuery.parse(status, limit, cursor)));
    }

    @GetMapping("/{orderId}")
    @Operation(operationId = "getOrder", summary = "Read an order",
            description = "From the PostgreSQL projection, which follows the event log within milliseconds.")
    @ApiResponse(responseCode = "200", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderState.class)))
    @ProblemResponses(ProblemType.ORDER_NOT_FOUND)
    ResponseEntity<byte[]> getOrder(@Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt,
            @Parameter(description = ORDER_ID_DOC) @PathVariable String orderId) {
        String tenant = Tenants.of(jwt);
        return json(queries.find(tenant, validOrderId(orderId)).orElseThrow(OrderController::noSuchOrder));
    }

    @GetMapping("/{orderId}/events")
    @Operation(operationId = "getOrderEvents", summary = "Read an order's event history",
            description = "The order's events as on `orders.events.v1`, in sequence order (1, 2, 3 …), from the "
                    + "projection.")
    @ApiResponse(responseCode = "200", description = "The events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderHistory.class)))
    @ProblemResponses(ProblemType.ORDER_NOT_FOUND)
    ResponseEntity<byte[]> getOrderEvents(@Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt,
            @Parameter(description = ORDER_ID_DOC) @PathVariable String orderId) {
        String tenant = Tenants.of(jwt);
        List<EventEnvelope> events = queries.events(tenant, validOrderId(orderId));
        if (events.isEmpty()) {
            throw noSuchOrder();
        }
        return json(new OrderHistory(orderId, events));
    }

    /** An id no order can have is answered like a missing order: 404, the same body. */
    private static String validOrderId(String orderId) {
        if (!OrderKey.isValidOrderId(orderId)) {
            throw noSuchOrder();
        }
        return orderId;
    }

    private static ApiProblemException noSuchOrder() {
        return new ApiProblemException(ProblemType.ORDER_NOT_FOUND, NO_SUCH_ORDER);
    }

    private static ResponseEntity<byte[]> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
    }

    /**
     * Sends the command, on behalf of the token's subject (its {@code actor}), as the next span of
     * the request's W3C trace ({@code traceparent}), or of a trace started here.
     */
    private CompletableFuture<ResponseEntity<?>> submit(String tenant, String actor, HttpServletRequest request,
            String orderId, String key, String fingerprint, OrderCommand command) {
        CommandEnvelope envelope = new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), tenant, orderId, key, fingerprint,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), command, actor);
        // the body was validated; the token's subject (actor) too must be text the processor keeps
        CommandValidation.unkeepableText(envelope).ifPresent(violation -> {
            throw RequestBodies.invalid(violation);
        });
        Traceparent trace = Traceparent.parse(request.getHeader(Traceparent.HEADER)).map(Traceparent::child)
                .orElseGet(Traceparent::start);
        return gateway.submit(envelope, trace, properties.api().resultTimeout())
                .handle((result, error) -> {
                    if (error instanceof CompletionException wrapped && wrapped.getCause() != null) {
                        error = wrapped.getCause();
                    }
                    if (error instanceof CommandGateway.OverloadedException) {
                        return Problems.retryAfter(ProblemType.UNAVAILABLE, "The service is at its limit of "
                                + "commands waiting for results; nothing was done. Retry with the same Idempotency-Key "
                                + "after Retry-After.", 1);
                    }
                    if (error != null) {
                        log.warn("command {} for {} not sent: {}", envelope.commandId(), envelope.key(),
                                error.getMessage());
                        return Problems.response(ProblemType.UNAVAILABLE,
                                "The command could not be queued; nothing was done. Retry with the same Idempotency-Key.");
                    }
                    return result == null ? accepted(envelope) : answer(result);
                });
    }

    /** The stored answer, byte for byte the same for every request with this key. */
    private static ResponseEntity<?> answer(CommandResult result) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(result.status());
        if (result.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        if (!result.isSuccess()) {
            return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.detail(result.problem()));
        }
        if (result.status() == HttpStatus.CREATED.value()) {
            response.location(URI.create(ORDERS_PATH + "/" + result.orderId()));
        }
        return response.contentType(MediaType.APPLICATION_JSON).body(Json.write(result.order()));
    }

    /** No result in time: the command is in the log and will be applied once; the same key fetches it. */
    private static ResponseEntity<?> accepted(CommandEnvelope envelope) {
        CommandAccepted body = new CommandAccepted(envelope.orderId(), envelope.requestId(), "accepted",
                "The command is queued and will be applied once. Repeat the request with the same Idempotency-Key "
                        + "to obtain its result.");
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, "1")
                .location(URI.create(ORDERS_PATH + "/" + envelope.orderId()))
                .contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
    }
}
