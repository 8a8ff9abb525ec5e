package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.problems.CommandRejectedException;
import io.orderstream.api.tracing.TraceSampling;
import io.orderstream.events.CommandEnvelope;
import io.orderstream.events.CommandResult;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.OrderEvent;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.Problem;
import io.orderstream.events.ProblemType;
import io.orderstream.events.SchemaVersions;
import io.orderstream.idempotency.RequestFingerprint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.assertj.MvcTestResultAssert;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * The HTTP contract of the order endpoints, as the README states it (HTTP contract, idempotency
 * policy, problem table): every status, header and problem type, in a second, with no broker and no
 * database. The real filter chain, token decoder (HS256 with a test secret), CORS and body limit,
 * handlers and problem advice answer; only the gateway to Kafka and the reads of PostgreSQL, our
 * own beans, are test doubles. The system tests (ValidationIT, AuthenticationIT, CommandPathIT …)
 * keep the end-to-end invariants.
 *
 * <p>Some refusals are Tomcat's own and never reach MockMvc: a malformed request line, an encoded
 * {@code /}, invalid UTF-8 in the URL, oversized or duplicate headers ({@code bad-request} by
 * {@code ContainerErrorReport}). ValidationIT and FuzzIT show those through the real server.
 */
@WebMvcTest(controllers = OrderController.class,
        includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
                pattern = "io\\.orderstream\\.api\\.(security|problems)\\..*"),
        properties = {"spring.config.name=order-api", "orders.security.jwt-secret=" + OrderHttpContractTest.SECRET})
@EnableConfigurationProperties(ApiProperties.class)
@Import({AnswerCache.class, TraceSampling.class})
class OrderHttpContractTest {

    static final String SECRET = "order-http-contract-test-secret-of-32-bytes-or-more";
    private static final String ORDERS = "/api/v1/orders";
    private static final String PLACE = """
            {"orderId":"o-1","customerId":"c-1","currency":"EUR","lines":[{"sku":"BOOK-1","quantity":2,\
            "unitPriceMinor":1999}]}""";
    private static final String PROCESSING = "{\"status\":\"PROCESSING\",\"reason\":\"picked\"}";
    private static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");
    private static final OrderState ORDER = new OrderState("o-1", OrderStatus.PENDING, 1, "c-1", "EUR", 3998,
            List.of(new OrderLine("BOOK-1", 2, 1999)), AT, AT);

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    CommandGateway gateway;

    @MockitoBean
    OrderQueries queries;

    @Autowired
    AnswerCache cache;

    // --- commands: successes ------------------------------------------------------------------

    @Test
    void placedOrder_is201_withTheOrderAndItsLocation() {
        answer(success(201, ORDER, false));

        MvcTestResult result = place(PLACE, "k-1");

        assertThat(result).hasStatus(201).hasContentType(MediaType.APPLICATION_JSON)
                .hasHeader(HttpHeaders.LOCATION, ORDERS + "/o-1")
                .doesNotContainHeader("Idempotent-Replayed");
        assertThat(result).bodyJson().extractingPath("$.orderId").isEqualTo("o-1");
        assertThat(result).bodyJson().extractingPath("$.totalMinor").isEqualTo(3998);
    }

    @Test
    void replayedAnswer_isTheSameStatusAndBody_withIdempotentReplayedTrue() {
        answer(success(201, ORDER, true));

        assertThat(place(PLACE, "k-1")).hasStatus(201).hasHeader("Idempotent-Replayed", "true")
                .hasHeader(HttpHeaders.LOCATION, ORDERS + "/o-1")
                .bodyJson().extractingPath("$.status").isEqualTo("PENDING");

        answer(success(200, ORDER, true));
        assertThat(changeStatus("o-1", PROCESSING, "k-2")).hasStatus(200).hasHeader("Idempotent-Replayed", "true")
                .doesNotContainHeader(HttpHeaders.LOCATION);
    }

    @Test
    void statusChange_is200_withTheOrder() {
        answer(success(200, ORDER, false));

        MvcTestResult result = changeStatus("o-1", PROCESSING, "k-2");

        assertThat(result).hasStatus(200).hasContentType(MediaType.APPLICATION_JSON)
                .doesNotContainHeader(HttpHeaders.LOCATION).doesNotContainHeader("Idempotent-Replayed");
        assertThat(result).bodyJson().extractingPath("$.orderId").isEqualTo("o-1");
    }

    @Test
    void noResultWithinTheWaitBound_is202_withRetryAfterAndLocation() {
        when(gateway.submit(any(), any(), any())).thenReturn(CompletableFuture.completedFuture(null));

        MvcTestResult result = place(PLACE, "k-1");

        assertThat(result).hasStatus(202).hasContentType(MediaType.APPLICATION_JSON)
                .hasHeader(HttpHeaders.RETRY_AFTER, "1").hasHeader(HttpHeaders.LOCATION, ORDERS + "/o-1");
        assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("accepted");
        assertThat(result).bodyJson().extractingPath("$.orderId").isEqualTo("o-1");
    }

    @Test
    void postWithoutOrderId_addressesTheOrderDerivedFromTenantAndKey() {
        answer(success(201, ORDER, false));

        place("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,"
                + "\"unitPriceMinor\":1}]}", "k-derived");

        ArgumentCaptor<CommandEnvelope> sent = ArgumentCaptor.forClass(CommandEnvelope.class);
        verify(gateway).submit(sent.capture(), any(), any());
        assertThat(sent.getValue().tenantId()).isEqualTo("acme");
        assertThat(sent.getValue().orderId()).isEqualTo(io.orderstream.events.OrderKey.derive("acme", "k-derived"));
        assertThat(sent.getValue().idempotencyKey()).isEqualTo("k-derived");
        assertThat(sent.getValue().actor()).isEqualTo("user-1");
    }

    // --- commands: the processor's problems, answered as stored ----------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"INVALID_TRANSITION", "ORDER_ALREADY_EXISTS", "ORDER_NOT_FOUND", "IDEMPOTENCY_KEY_REUSED",
        "PROCESSING_FAILED", "COMMAND_EXPIRED", "VALIDATION"})
    void processorsProblem_isAnsweredAsStored_asProblemJson(ProblemType type) {
        Problem stored = new Problem(type.uri().toString(), type.title(), type.status(), "stored detail");
        reject(stored, false);

        MvcTestResult result = changeStatus("o-1", PROCESSING, "k-2");

        assertProblem(result, type).doesNotContainHeader("Idempotent-Replayed").doesNotContainHeader(HttpHeaders.RETRY_AFTER);
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("stored detail");
    }

    @Test
    void replayedRejection_carriesIdempotentReplayedTrue() {
        ProblemType type = ProblemType.INVALID_TRANSITION;
        reject(new Problem(type.uri().toString(), type.title(), type.status(), "CANCELED is final"), true);

        assertProblem(changeStatus("o-1", PROCESSING, "k-2"), type).hasHeader("Idempotent-Replayed", "true");
    }

    // --- commands: duplicates of completed requests, answered from the near cache ----------------

    @Test
    void duplicateOfACompletedRequest_isItsStoredAnswer_asAReplay_withoutTheProcessor() {
        byte[] stored = Json.write(success(201, ORDER, false));
        cache.put("acme/o-1", "k-c1", fingerprint("POST", ORDERS, PLACE), later(), stored, now());

        MvcTestResult result = place(PLACE, "k-c1");

        assertThat(result).hasStatus(201).hasContentType(MediaType.APPLICATION_JSON)
                .hasHeader("Idempotent-Replayed", "true").hasHeader(HttpHeaders.LOCATION, ORDERS + "/o-1");
        assertThat(result.getResponse().getContentAsByteArray()).isEqualTo(Json.write(ORDER));
        verifyNoInteractions(gateway);
    }

    @Test
    void differentRequestUnderAKnownKey_is422_theProcessorsOwnProblem_withoutTheProcessor() {
        cache.put("acme/o-1", "k-c2", fingerprint("PUT", ORDERS + "/o-1/status", PROCESSING), later(),
                Json.write(success(200, ORDER, false)), now());

        MvcTestResult result = changeStatus("o-1", "{\"status\":\"CANCELED\"}", "k-c2");

        assertProblem(result, ProblemType.IDEMPOTENCY_KEY_REUSED).doesNotContainHeader("Idempotent-Replayed");
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo(ProblemType.keyReused("k-c2").detail());
        verifyNoInteractions(gateway);
    }

    @Test
    void duplicateOfARejectedRequest_isItsStoredProblem_asAReplay() {
        ProblemType type = ProblemType.INVALID_TRANSITION;
        Problem problem = type.problem("CANCELED is final");
        CommandResult rejected = new CommandResult(SchemaVersions.RESULT, "r-1", "c-1", "acme", "o-1",
                CommandResult.Outcome.REJECTED, type.status(), null, problem, false, AT);
        cache.put("acme/o-1", "k-c3", fingerprint("PUT", ORDERS + "/o-1/status", PROCESSING), later(),
                Json.write(rejected), now());

        MvcTestResult result = changeStatus("o-1", PROCESSING, "k-c3");

        assertProblem(result, type).hasHeader("Idempotent-Replayed", "true");
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("CANCELED is final");
        verifyNoInteractions(gateway);
    }

    @Test
    void anotherTenantsKnownKey_orAnotherOrdersOne_isNotThisRequestsAnswer_itGoesToTheProcessor() {
        cache.put("globex/o-1", "k-c4", fingerprint("POST", ORDERS, PLACE), later(),
                Json.write(success(201, ORDER, false)), now());
        cache.put("acme/o-2", "k-c4", fingerprint("POST", ORDERS, PLACE), later(),
                Json.write(success(201, ORDER, false)), now());
        answer(success(201, ORDER, false));

        assertThat(place(PLACE, "k-c4")).hasStatus(201).doesNotContainHeader("Idempotent-Replayed");
        verify(gateway).submit(any(), any(), any());
    }

    // --- commands: the gateway's refusals --------------------------------------------------------

    @Test
    void apiAtItsLimit_is503Unavailable_withRetryAfter1() {
        when(gateway.submit(any(), any(), any()))
                .thenReturn(CompletableFuture.failedFuture(new CommandGateway.OverloadedException()));

        assertProblem(place(PLACE, "k-1"), ProblemType.UNAVAILABLE).hasHeader(HttpHeaders.RETRY_AFTER, "1");
        assertProblem(changeStatus("o-1", PROCESSING, "k-2"), ProblemType.UNAVAILABLE)
                .hasHeader(HttpHeaders.RETRY_AFTER, "1");
    }

    @Test
    void commandNotSent_is503Unavailable() {
        when(gateway.submit(any(), any(), any())).thenReturn(CompletableFuture.failedFuture(
                new CommandGateway.CommandNotSentException(new IllegalStateException("broker unreachable"))));

        MvcTestResult result = place(PLACE, "k-1");

        assertProblem(result, ProblemType.UNAVAILABLE).doesNotContainHeader(HttpHeaders.RETRY_AFTER);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("could not be queued")
                .doesNotContain("broker unreachable");
    }

    // --- commands: refused before anything is sent ----------------------------------------------

    @Test
    void commandWithoutIdempotencyKey_is400Missing() {
        assertProblem(send(post(ORDERS).contentType(MediaType.APPLICATION_JSON).content(PLACE)),
                ProblemType.IDEMPOTENCY_KEY_MISSING);
        assertProblem(send(put(ORDERS + "/o-1/status").contentType(MediaType.APPLICATION_JSON).content(PROCESSING)),
                ProblemType.IDEMPOTENCY_KEY_MISSING);
        verifyNoInteractions(gateway);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "caf\u00e9", "tab\there", "line\u007f", "\u4e2d"})
    void malformedIdempotencyKey_is400Invalid(String key) {
        assertProblem(place(PLACE, key), ProblemType.IDEMPOTENCY_KEY_INVALID);
        assertProblem(changeStatus("o-1", PROCESSING, key), ProblemType.IDEMPOTENCY_KEY_INVALID);
        verifyNoInteractions(gateway);
    }

    @Test
    void idempotencyKeyOfMoreThan255Characters_orSentTwice_is400Invalid() {
        answer(success(201, ORDER, false));
        assertThat(place(PLACE, "k".repeat(255))).as("255 is allowed").hasStatus(201);
        assertProblem(place(PLACE, "k".repeat(256)), ProblemType.IDEMPOTENCY_KEY_INVALID);
        assertProblem(send(post(ORDERS).contentType(MediaType.APPLICATION_JSON).content(PLACE)
                .header("Idempotency-Key", "a", "b")), ProblemType.IDEMPOTENCY_KEY_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"customerId\":\"\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"unitPriceMinor\":1}]}",
        "{\"customerId\":\"c\",\"currency\":\"euro\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"unitPriceMinor\":1}]}",
        "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[]}",
        "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":0,\"unitPriceMinor\":1}]}",
        "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"unitPriceMinor\":-1}]}",
        "{\"customerId\":\"c\\u0000\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"unitPriceMinor\":1}]}",
        "{\"orderId\":\"-bad id\",\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"unitPriceMinor\":1}]}"})
    void invalidOrder_is400Validation_namingTheField(String body) {
        MvcTestResult result = place(body, "k-1");

        assertProblem(result, ProblemType.VALIDATION);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().containsPattern("^[a-zA-Z\\[\\]0-9.]+: ");
        verifyNoInteractions(gateway);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\":\"LOST\"}", "{\"status\":null}", "{\"status\":\"SHIPPED\",\"reason\":\"a\\u0000\"}"})
    void invalidStatusChange_is400(String body) {
        assertThat(changeStatus("o-1", body, "k-1")).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.type").asString().isIn(ProblemType.VALIDATION.uri().toString(),
                        ProblemType.MALFORMED_BODY.uri().toString());
        verifyNoInteractions(gateway);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "{\"customerId\":\"a\",\"customerId\":\"b\"}", "{"})
    void unreadableBody_is400MalformedBody(String body) {
        assertProblem(place(body, "k-1"), ProblemType.MALFORMED_BODY);
        assertProblem(changeStatus("o-1", body, "k-1"), ProblemType.MALFORMED_BODY);
        verifyNoInteractions(gateway);
    }

    @Test
    void noBody_is400MalformedBody() {
        assertProblem(send(post(ORDERS).contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k")),
                ProblemType.MALFORMED_BODY);
    }

    @Test
    void bodyOver64KiB_is413() {
        String big = "{\"customerId\":\"" + "c".repeat(65_536) + "\",\"currency\":\"EUR\",\"lines\":[]}";

        assertProblem(place(big, "k-1"), ProblemType.PAYLOAD_TOO_LARGE);
        verifyNoInteractions(gateway);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void bodyNotJson_is415(String contentType) {
        assertProblem(send(post(ORDERS).contentType(contentType).header("Idempotency-Key", "k").content(PLACE)),
                ProblemType.UNSUPPORTED_MEDIA_TYPE);
        assertProblem(send(put(ORDERS + "/o-1/status").contentType(contentType).header("Idempotency-Key", "k")
                .content(PROCESSING)), ProblemType.UNSUPPORTED_MEDIA_TYPE);
        verifyNoInteractions(gateway);
    }

    // --- reads --------------------------------------------------------------------------------

    @Test
    void readOrder_is200_fromTheCallersTenant() {
        when(queries.find("acme", "o-1")).thenReturn(Optional.of(ORDER));

        MvcTestResult result = send(get(ORDERS + "/o-1"));

        assertThat(result).hasStatus(200).hasContentType(MediaType.APPLICATION_JSON)
                .bodyJson().extractingPath("$.orderId").isEqualTo("o-1");
    }

    @Test
    void unknownOrder_isA404OrderNotFound_onEveryEndpoint() {
        when(queries.find(anyString(), anyString())).thenReturn(Optional.empty());
        when(queries.events(anyString(), anyString())).thenReturn(List.of());

        assertProblem(send(get(ORDERS + "/o-404")), ProblemType.ORDER_NOT_FOUND);
        assertProblem(send(get(ORDERS + "/o-404/events")), ProblemType.ORDER_NOT_FOUND);
        // an id no order can have is answered the same, without a look-up or a command
        assertProblem(send(get(ORDERS + "/-no")), ProblemType.ORDER_NOT_FOUND);
        assertProblem(send(get(ORDERS + "/" + "x".repeat(65) + "/events")), ProblemType.ORDER_NOT_FOUND);
        assertProblem(changeStatus("-no", PROCESSING, "k-1"), ProblemType.ORDER_NOT_FOUND);
        verifyNoInteractions(gateway);
    }

    @Test
    void orderHistory_is200_withTheEventsInSequenceOrder() {
        EventEnvelope placed = new EventEnvelope(SchemaVersions.EVENT, "e-1", "acme", "o-1", 1, AT, "c-1", "r-1",
                "k-1", new OrderEvent.OrderPlaced("c-1", "EUR", ORDER.lines(), 3998));
        when(queries.events("acme", "o-1")).thenReturn(List.of(placed));

        MvcTestResult result = send(get(ORDERS + "/o-1/events"));

        assertThat(result).hasStatus(200).hasContentType(MediaType.APPLICATION_JSON);
        assertThat(result).bodyJson().extractingPath("$.orderId").isEqualTo("o-1");
        assertThat(result).bodyJson().extractingPath("$.events[0].sequence").isEqualTo(1);
        assertThat(result).bodyJson().extractingPath("$.events[0].event.type").isEqualTo("OrderPlaced");
    }

    @Test
    void listOrders_is200_withAPage() {
        when(queries.page(eq("acme"), any())).thenReturn(new OrderPage(List.of(ORDER), null));

        MvcTestResult result = send(get(ORDERS).param("status", "PENDING").param("limit", "10"));

        assertThat(result).hasStatus(200).hasContentType(MediaType.APPLICATION_JSON);
        assertThat(result).bodyJson().extractingPath("$.items[0].orderId").isEqualTo("o-1");
        assertThat(result).bodyJson().extractingPath("$.nextCursor").isNull();
    }

    @Test
    void wrongQueryParameter_is400InvalidParameter_namingIt() {
        for (Map.Entry<String, String> wrong : Map.of("status", "LOST", "limit", "0", "cursor", "not-a-cursor")
                .entrySet()) {
            MvcTestResult result = send(get(ORDERS).param(wrong.getKey(), wrong.getValue()));

            assertProblem(result, ProblemType.INVALID_PARAMETER);
            assertThat(result).bodyJson().extractingPath("$.parameter").isEqualTo(wrong.getKey());
            assertThat(result).bodyJson().extractingPath("$.detail").asString().startsWith(wrong.getKey() + ": ");
        }
        verifyNoInteractions(queries);
    }

    // --- the request itself --------------------------------------------------------------------

    @Test
    void methodNotAllowed_is405_withAllow() {
        MvcTestResult result = send(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .delete(ORDERS + "/o-1").header(HttpHeaders.AUTHORIZATION, bearer(token("acme"))));

        assertProblem(result, ProblemType.METHOD_NOT_ALLOWED);
        assertThat(result.getResponse().getHeader(HttpHeaders.ALLOW)).contains("GET");
    }

    /**
     * Every answer of these endpoints has its content type set (JSON, or problem+json), so
     * {@code Accept} is not negotiated: an {@code Accept} the API cannot serve still gets JSON, not the
     * 406 {@code not-acceptable} of the problem table (which the advice answers only for handlers that
     * declare what they produce, and these do not).
     */
    @ParameterizedTest
    @ValueSource(strings = {"application/xml", "text/html", "image/png", "application/json;q=0"})
    void acceptIsNotNegotiated_answersAreJsonOrProblemJson(String accept) {
        when(queries.find("acme", "o-1")).thenReturn(Optional.of(ORDER));
        when(queries.find("acme", "o-2")).thenReturn(Optional.empty());

        assertThat(send(get(ORDERS + "/o-1").header(HttpHeaders.ACCEPT, accept))).hasStatus(200)
                .hasContentType(MediaType.APPLICATION_JSON);
        assertProblem(send(get(ORDERS + "/o-2").header(HttpHeaders.ACCEPT, accept)), ProblemType.ORDER_NOT_FOUND);
    }

    @Test
    void unknownResource_is404NotFound() {
        assertProblem(send(get("/api/v1/nothing")), ProblemType.NOT_FOUND);
        assertProblem(send(get("/nothing/at/all")), ProblemType.NOT_FOUND);
    }

    @Test
    void crossOriginRequestFromAnOriginNotAllowed_is403CorsRejected() {
        MvcTestResult result = send(get(ORDERS + "/o-1").header(HttpHeaders.ORIGIN, "https://shop.example"));

        assertProblem(result, ProblemType.CORS_REJECTED).doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        verifyNoInteractions(queries);
    }

    @Test
    void unexpectedFailure_is500Internal_withoutItsMessage() {
        when(queries.find("acme", "o-1")).thenThrow(new IllegalStateException("secret internals"));

        MvcTestResult result = send(get(ORDERS + "/o-1"));

        assertProblem(result, ProblemType.INTERNAL);
        assertThat(result).body().asString().doesNotContain("secret internals");
    }

    // --- authentication and tenancy --------------------------------------------------------------

    @Test
    void noToken_is401_withABearerChallenge() {
        MvcTestResult result = exchange(get(ORDERS + "/o-1"));

        assertProblem(result, ProblemType.UNAUTHENTICATED).hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        assertProblem(exchange(post(ORDERS).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k").content(PLACE)), ProblemType.UNAUTHENTICATED)
                .hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        verifyNoInteractions(gateway, queries);
    }

    @Test
    void invalidToken_is401_invalidToken_neverEchoed() throws JOSEException {
        String wronglySigned = sign(claims("acme"), "another-secret-of-at-least-thirty-two-bytes!");
        String expired = sign(claims("acme").expirationTime(Date.from(Instant.now().minusSeconds(3600))), SECRET);
        String withoutExpiry = sign(new JWTClaimsSet.Builder().subject("user-1").claim("tenant", "acme"), SECRET);
        for (String token : List.of(wronglySigned, expired, withoutExpiry, "not.a.jwt", "garbage")) {
            MvcTestResult result = exchange(get(ORDERS + "/o-1").header(HttpHeaders.AUTHORIZATION, bearer(token)));

            assertProblem(result, ProblemType.UNAUTHENTICATED)
                    .hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            assertThat(result).body().asString().doesNotContain(token);
        }
        verifyNoInteractions(gateway, queries);
    }

    @Test
    void tokenWithoutAValidTenant_is403Forbidden() throws JOSEException {
        JWTClaimsSet.Builder noTenant = new JWTClaimsSet.Builder().subject("user-1")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        for (String token : List.of(sign(noTenant, SECRET), sign(claims("acme/evil"), SECRET),
                sign(claims(""), SECRET))) {
            assertProblem(exchange(get(ORDERS + "/o-1").header(HttpHeaders.AUTHORIZATION, bearer(token))),
                    ProblemType.FORBIDDEN);
            assertProblem(exchange(post(ORDERS).header(HttpHeaders.AUTHORIZATION, bearer(token))
                    .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k").content(PLACE)),
                    ProblemType.FORBIDDEN);
        }
        verifyNoInteractions(gateway, queries);
    }

    @Test
    void theTenantIsTheTokensClaim_andNothingElse() {
        when(queries.find(anyString(), anyString())).thenReturn(Optional.empty());
        when(queries.find("globex", "o-1")).thenReturn(Optional.of(ORDER));

        assertThat(exchange(get(ORDERS + "/o-1").header(HttpHeaders.AUTHORIZATION, bearer(token("globex")))))
                .hasStatus(200);
        assertProblem(exchange(get(ORDERS + "/o-1").header(HttpHeaders.AUTHORIZATION, bearer(token("acme")))
                .header("X-Tenant", "globex").param("tenant", "globex")), ProblemType.ORDER_NOT_FOUND);
    }

    // --- helpers ------------------------------------------------------------------------------

    private MvcTestResult place(String body, String key) {
        return send(post(ORDERS).contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key).content(body));
    }

    private MvcTestResult changeStatus(String orderId, String body, String key) {
        return send(put(ORDERS + "/" + orderId + "/status").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).content(body));
    }

    /** The request with the token of tenant {@code acme}. */
    private MvcTestResult send(MockHttpServletRequestBuilder request) {
        return exchange(request.header(HttpHeaders.AUTHORIZATION, bearer(token("acme"))));
    }

    /** The request's answer, once there is one: a command's is written by an async dispatch. */
    private MvcTestResult exchange(MockHttpServletRequestBuilder request) {
        MvcTestResult result = mvc.perform(request);
        if (result.getUnresolvedException() == null && result.getMvcResult().getRequest().isAsyncStarted()) {
            return mvc.perform(MockMvcRequestBuilders.asyncDispatch(result.getMvcResult()));
        }
        return result;
    }

    private static MockHttpServletRequestBuilder get(String path) {
        return MockMvcRequestBuilders.get(path);
    }

    private static MockHttpServletRequestBuilder post(String path) {
        return MockMvcRequestBuilders.post(path);
    }

    private static MockHttpServletRequestBuilder put(String path) {
        return MockMvcRequestBuilders.put(path);
    }

    private static MvcTestResultAssert assertProblem(
            MvcTestResult result, ProblemType type) {
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(type.uri().toString());
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo(type.title());
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(type.status());
        return assertThat(result).hasStatus(type.status()).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static String fingerprint(String method, String path, String body) {
        return RequestFingerprint.of(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static long later() {
        return now() + 3_600_000;
    }

    private void answer(CommandResult result) {
        when(gateway.submit(any(), any(), any()))
                .thenReturn(CompletableFuture.completedFuture(StoredAnswer.of(result)));
    }

    private void reject(Problem problem, boolean replayed) {
        when(gateway.submit(any(), any(), any()))
                .thenReturn(CompletableFuture.failedFuture(new CommandRejectedException(problem, replayed)));
    }

    private static CommandResult success(int status, OrderState order, boolean replayed) {
        return new CommandResult(SchemaVersions.RESULT, "r-1", "c-1", "acme", order.orderId(),
                status == 201 ? CommandResult.Outcome.APPLIED : CommandResult.Outcome.UNCHANGED, status, order, null,
                replayed, AT);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JWTClaimsSet.Builder claims(String tenant) {
        return new JWTClaimsSet.Builder().subject("user-1").claim("tenant", tenant)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    static String token(String tenant) {
        try {
            return sign(claims(tenant), SECRET);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWTClaimsSet.Builder claims, String secret) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
