package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.http.ApiHeaders;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.security.Tenants;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.CommandValidation;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderKey;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import io.orderstream.events.Traceparent;
import io.orderstream.idempotency.RequestFingerprint;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * processor's business: whatever it answers (new, replay, 422) is what the client gets. Every
 * refusal is an exception answered by the problem advice; the OpenAPI description is
 * {@link OrdersApi}.
 */
@RestController
@RequestMapping(OrderController.ORDERS_PATH)
class OrderController implements OrdersApi {

    static final String ORDERS_PATH = "/api/v1/orders";

    private final CommandGateway gateway;
    private final OrderQueries queries;
    private final ApiProperties properties;

    OrderController(CommandGateway gateway, OrderQueries queries, ApiProperties properties) {
        this.gateway = gateway;
        this.queries = queries;
        this.properties = properties;
    }

    @Override
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<?>> placeOrder(@AuthenticationPrincipal Jwt jwt,
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
        return submit(jwt, request, orderId, key, RequestFingerprint.of("POST", ORDERS_PATH, body), command);
    }

    @Override
    @PutMapping(path = "/{orderId}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<?>> changeStatus(@AuthenticationPrincipal Jwt jwt,
            HttpServletRequest request, @PathVariable String orderId, @RequestBody(required = false) byte[] body) {
        String key = IdempotencyKeys.require(request);
        validOrderId(orderId);
        OrderCommand.ChangeStatus command = RequestBodies.read(body, ChangeStatusRequest.class).toCommand();
        RequestBodies.validate(command);
        String path = ORDERS_PATH + "/" + orderId + "/status";
        return submit(jwt, request, orderId, key, RequestFingerprint.of("PUT", path, body), command);
    }

    @Override
    @GetMapping
    public ResponseEntity<byte[]> listOrders(@AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) String status, @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor) {
        return json(queries.page(Tenants.of(jwt), OrderListQuery.parse(status, limit, cursor)));
    }

    @Override
    @GetMapping("/{orderId}")
    public ResponseEntity<byte[]> getOrder(@AuthenticationPrincipal Jwt jwt, @PathVariable String orderId) {
        return json(queries.find(Tenants.of(jwt), validOrderId(orderId)).orElseThrow(OrderController::noSuchOrder));
    }

    @Override
    @GetMapping("/{orderId}/events")
    public ResponseEntity<byte[]> getOrderEvents(@AuthenticationPrincipal Jwt jwt, @PathVariable String orderId) {
        List<EventEnvelope> events = queries.events(Tenants.of(jwt), validOrderId(orderId));
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
        return new ApiProblemException(ProblemType.ORDER_NOT_FOUND, "No such order.");
    }

    private static ResponseEntity<byte[]> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
    }

    /**
     * Sends the command, on behalf of the token's subject (its {@code actor}), as the next span of
     * the request's W3C trace ({@code traceparent}), or of a trace started here. A refusal of the
     * gateway or the processor fails the future and is answered by the problem advice.
     */
    private CompletableFuture<ResponseEntity<?>> submit(Jwt jwt, HttpServletRequest request, String orderId,
            String key, String fingerprint, OrderCommand command) {
        CommandEnvelope envelope = new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), Tenants.of(jwt), orderId, key, fingerprint,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), command, jwt.getSubject());
        // the body was validated; the token's subject (actor) too must be text the processor keeps
        CommandValidation.unkeepableText(envelope).ifPresent(violation -> {
            throw RequestBodies.invalid(violation);
        });
        Traceparent trace = Traceparent.parse(request.getHeader(Traceparent.HEADER)).map(Traceparent::child)
                .orElseGet(Traceparent::start);
        return gateway.submit(envelope, trace, properties.api().resultTimeout())
                .thenApply(result -> result == null ? accepted(envelope) : answer(result));
    }

    /** The stored answer, byte for byte the same for every request with this key. */
    private static ResponseEntity<?> answer(CommandResult result) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(result.status());
        if (result.replayed()) {
            response.header(ApiHeaders.IDEMPOTENT_REPLAYED, "true");
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
