package io.orderstream.api.orders;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.http.ApiHeaders;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.CommandRejectedException;
import io.orderstream.api.security.Tenants;
import io.orderstream.api.tracing.TraceSampling;
import io.orderstream.events.CommandEnvelope;
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
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * Order commands and reads. A command is validated, fingerprinted and, unless the near cache of
 * stored answers ({@link AnswerCache}) knows its key as a completed request, sent to
 * {@code orders.commands.v1}; the request then waits, bounded and without a thread, for its result,
 * whose answer is written as the processor stored it ({@link CommandExchange}). Duplicates are the
 * processor's business; the cache only repeats what the processor answered (replay, 422). Every
 * refusal is an exception answered by the problem advice; the OpenAPI description is
 * {@link OrdersApi}.
 */
@RestController
@RequestMapping(OrderController.ORDERS_PATH)
class OrderController implements OrdersApi {

    static final String ORDERS_PATH = "/api/v1/orders";

    /** Beyond the result timeout, how long the container lets a command wait before it gives up on it. */
    private static final Duration BACKSTOP = Duration.ofSeconds(60);

    private final CommandGateway gateway;
    private final OrderQueries queries;
    private final ApiProperties properties;
    private final AnswerCache cache;
    private final TraceSampling tracing;
    private final CommandIds ids = new CommandIds();

    OrderController(CommandGateway gateway, OrderQueries queries, ApiProperties properties, AnswerCache cache,
            TraceSampling tracing) {
        this.gateway = gateway;
        this.queries = queries;
        this.properties = properties;
        this.cache = cache;
        this.tracing = tracing;
    }

    @Override
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public void placeOrder(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request,
            HttpServletResponse response, @RequestBody(required = false) byte[] body) throws IOException {
        String tenant = Tenants.of(jwt);
        String key = IdempotencyKeys.require(request);
        PlaceOrderRequest place = RequestBodies.read(body, PlaceOrderRequest.class);
        String orderId = place.orderId() == null ? OrderKey.derive(tenant, key) : place.orderId();
        if (!OrderKey.isValidOrderId(orderId)) {
            throw RequestBodies.invalid("orderId: must match " + OrderKey.ORDER_ID.pattern());
        }
        OrderCommand.PlaceOrder command = place.toCommand();
        RequestBodies.validate(command);
        submit(jwt, request, response, orderId, key, RequestFingerprint.of("POST", ORDERS_PATH, body), command);
    }

    @Override
    @PutMapping(path = "/{orderId}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public void changeStatus(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request,
            HttpServletResponse response, @PathVariable String orderId, @RequestBody(required = false) byte[] body)
            throws IOException {
        String key = IdempotencyKeys.require(request);
        validOrderId(orderId);
        OrderCommand.ChangeStatus command = RequestBodies.read(body, ChangeStatusRequest.class).toCommand();
        RequestBodies.validate(command);
        String path = ORDERS_PATH + "/" + orderId + "/status";
        submit(jwt, request, response, orderId, key, RequestFingerprint.of("PUT", path, body), command);
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
     * Answers a duplicate of a completed request from the near cache when it knows the key (as a
     * replay, or 422 for a different request); otherwise sends the command, on behalf of the token's
     * subject (its {@code actor}), as the next span of the request's W3C trace ({@code traceparent})
     * or of a trace started here, and answers once its result comes ({@link CommandExchange}). A
     * refusal of the gateway or the processor is answered by the problem advice.
     */
    private void submit(Jwt jwt, HttpServletRequest request, HttpServletResponse response, String orderId,
            String key, String fingerprint, OrderCommand command) throws IOException {
        String tenant = Tenants.of(jwt);
        String scope = new OrderKey(tenant, orderId).toString();
        AnswerCache.Entry known = cache.find(scope, key, System.currentTimeMillis());
        if (known != null) {
            if (!known.fingerprint().equals(fingerprint)) {
                cache.countMismatch();
                throw new CommandRejectedException(ProblemType.keyReused(key), false);
            }
            // the same request as the one answered: its stored answer, as a replay
            StoredAnswer stored = StoredAnswer.read(known.value()).asReplay();
            if (!stored.isSuccess()) {
                throw new CommandRejectedException(stored.problem(), true);
            }
            write(response, stored);
            return;
        }
        CommandEnvelope envelope = new CommandEnvelope(SchemaVersions.COMMAND, ids.next(), ids.next(), tenant,
                orderId, key, fingerprint, Instant.now().truncatedTo(ChronoUnit.MILLIS), command, jwt.getSubject());
        // the body was validated; the token's subject (actor) too must be text the processor keeps
        CommandValidation.unkeepableText(envelope).ifPresent(violation -> {
            throw RequestBodies.invalid(violation);
        });
        // this hop of the request's trace (a recorded request's send span replaces it with its own)
        Traceparent trace = tracing.of(request).hop();
        Duration timeout = properties.api().resultTimeout();
        CompletableFuture<StoredAnswer> answer = gateway.submit(envelope, trace, timeout);
        // the container's timeout is a backstop only: the gateway answers within the result timeout
        // once the command is sent, and a send ends within the producer's delivery timeout
        CommandExchange.of(request).answerWhenDone(answer, timeout.plus(BACKSTOP), (stored, error) -> {
            if (error != null) {
                Exception refusal = error instanceof CompletionException && error.getCause() instanceof Exception cause
                        ? cause : error instanceof Exception e ? e : new IllegalStateException(error);
                return (req, res, problems) -> problems.answer(req, res, refusal);
            }
            return (req, res, problems) -> {
                if (stored == null) {
                    accepted(res, envelope);
                } else {
                    write(res, stored);
                }
            };
        });
    }

    /** The stored answer, byte for byte the same for every request with this key. */
    private static void write(HttpServletResponse response, StoredAnswer answer) throws IOException {
        response.setStatus(answer.status());
        if (answer.replayed()) {
            response.setHeader(ApiHeaders.IDEMPOTENT_REPLAYED, "true");
        }
        if (answer.status() == HttpStatus.CREATED.value()) {
            response.setHeader(HttpHeaders.LOCATION, ORDERS_PATH + "/" + answer.orderId());
        }
        body(response, answer.orderJson());
    }

    /** No result in time: the command is in the log and will be applied once; the same key fetches it. */
    private static void accepted(HttpServletResponse response, CommandEnvelope envelope) throws IOException {
        CommandAccepted body = new CommandAccepted(envelope.orderId(), envelope.requestId(), "accepted",
                "The command is queued and will be applied once. Repeat the request with the same Idempotency-Key "
                        + "to obtain its result.");
        response.setStatus(HttpStatus.ACCEPTED.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        response.setHeader(HttpHeaders.LOCATION, ORDERS_PATH + "/" + envelope.orderId());
        body(response, Json.write(body));
    }

    private static void body(HttpServletResponse response, byte[] json) throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        response.flushBuffer();
    }
}
