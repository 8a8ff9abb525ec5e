package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.Problems;
import io.orderstream.api.security.Tenants;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.Json;
import io.orderstream.events.OrderCommand;
import io.orderstream.events.OrderKey;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import io.orderstream.idempotency.RequestFingerprint;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.springframework.web.bind.annotation.RestController;

/**
 * Order commands and reads. A command is validated, fingerprinted and sent to
 * {@code orders.commands.v1}; the request then waits, bounded, for its result. Duplicates are the
 * processor's business: whatever it answers (new, replay, 422) is what the client gets.
 */
@RestController
@RequestMapping("/api/v1/orders")
class OrderController {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final String ORDERS_PATH = "/api/v1/orders";
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
    CompletableFuture<ResponseEntity<?>> placeOrder(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request,
            @RequestBody(required = false) byte[] body) {
        String tenant = Tenants.of(jwt);
        String key = IdempotencyKeys.require(request);
        checkSize(body);
        PlaceOrderRequest place = RequestBodies.read(body, PlaceOrderRequest.class);
        String orderId = place.orderId() == null ? OrderKey.derive(tenant, key) : place.orderId();
        if (!OrderKey.isValidOrderId(orderId)) {
            throw RequestBodies.invalid("orderId: must match " + OrderKey.ORDER_ID.pattern());
        }
        OrderCommand.PlaceOrder command = place.toCommand();
        RequestBodies.validate(command);
        return submit(tenant, orderId, key, RequestFingerprint.of("POST", ORDERS_PATH, body), command);
    }

    @PutMapping(path = "/{orderId}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<?>> changeStatus(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request,
            @PathVariable String orderId, @RequestBody(required = false) byte[] body) {
        String tenant = Tenants.of(jwt);
        String key = IdempotencyKeys.require(request);
        if (!OrderKey.isValidOrderId(orderId)) {
            throw new ApiProblemException(ProblemType.ORDER_NOT_FOUND, "No such order.");
        }
        checkSize(body);
        OrderCommand.ChangeStatus command = RequestBodies.read(body, ChangeStatusRequest.class).toCommand();
        RequestBodies.validate(command);
        String path = ORDERS_PATH + "/" + orderId + "/status";
        return submit(tenant, orderId, key, RequestFingerprint.of("PUT", path, body), command);
    }

    @GetMapping("/{orderId}")
    ResponseEntity<?> getOrder(@AuthenticationPrincipal Jwt jwt, @PathVariable String orderId) {
        String tenant = Tenants.of(jwt);
        if (!OrderKey.isValidOrderId(orderId)) {
            throw new ApiProblemException(ProblemType.ORDER_NOT_FOUND, "No such order.");
        }
        return queries.find(tenant, orderId)
                .<ResponseEntity<?>>map(order -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(Json.write(order)))
                .orElseThrow(() -> new ApiProblemException(ProblemType.ORDER_NOT_FOUND, "No such order."));
    }

    private CompletableFuture<ResponseEntity<?>> submit(String tenant, String orderId, String key, String fingerprint,
            OrderCommand command) {
        CommandEnvelope envelope = new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), tenant, orderId, key, fingerprint,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), command);
        return gateway.submit(envelope, properties.api().resultTimeout())
                .handle((result, error) -> {
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", envelope.orderId());
        body.put("requestId", envelope.requestId());
        body.put("state", "accepted");
        body.put("detail", "The command is queued and will be applied once. Repeat the request with the same "
                + "Idempotency-Key to obtain its result.");
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Retry-After", "1")
                .location(URI.create(ORDERS_PATH + "/" + envelope.orderId()))
                .contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
    }

    private void checkSize(byte[] body) {
        if (body != null && body.length > properties.api().maxBodyBytes()) {
            throw new ApiProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The body has " + body.length + " bytes; at most " + properties.api().maxBodyBytes() + " are accepted.");
        }
    }
}
