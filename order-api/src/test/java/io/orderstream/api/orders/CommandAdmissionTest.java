package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.tracing.TraceSampling;
import io.orderstream.events.CommandResult;
import io.orderstream.events.OrderLine;
import io.orderstream.events.OrderState;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.SchemaVersions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * The admission bound at the edge: with {@code max-commands-in-flight} commands waiting, the next
 * is refused with 503 and Retry-After without reaching the gateway, even with no token at all
 * (it is refused before security); reads are not counted; once an answer is written its slot is free.
 */
@WebMvcTest(controllers = OrderController.class,
        includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
                pattern = "io\\.orderstream\\.api\\.(security|problems)\\..*"),
        properties = {"spring.config.name=order-api", "orders.security.jwt-secret=" + OrderHttpContractTest.SECRET,
            "orders.api.max-commands-in-flight=1"})
@EnableConfigurationProperties(ApiProperties.class)
@Import({AnswerCache.class, TraceSampling.class})
class CommandAdmissionTest {

    private static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");
    private static final String PLACE = """
            {"orderId":"o-1","customerId":"c-1","currency":"EUR","lines":[{"sku":"BOOK-1","quantity":2,\
            "unitPriceMinor":1999}]}""";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    CommandAdmission admission;

    @MockitoBean
    CommandGateway gateway;

    @MockitoBean
    OrderQueries queries;

    @Test
    void aCommandBeyondTheBound_is503WithRetryAfter_beforeSecurity_andTheSlotFreesOnceAnswered() {
        CompletableFuture<StoredAnswer> pending = new CompletableFuture<>();
        when(gateway.submit(any(), any(), any())).thenReturn(pending);

        MvcTestResult waiting = mvc.perform(place("k-1", true));
        assertThat(waiting.getMvcResult().getRequest().isAsyncStarted()).isTrue();
        assertThat(admission.inFlight()).isEqualTo(1);

        for (boolean withToken : List.of(true, false)) {
            MvcTestResult refused = mvc.perform(place("k-2", withToken));
            assertThat(refused).hasStatus(503).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .hasHeader(HttpHeaders.RETRY_AFTER, "1");
            assertThat(refused).bodyJson().extractingPath("$.type").isEqualTo("urn:order-stream:problem:unavailable");
        }
        verify(gateway, times(1)).submit(any(), any(), any());

        OrderState order = new OrderState("o-1", OrderStatus.PENDING, 1, "c-1", "EUR", 3998,
                List.of(new OrderLine("BOOK-1", 2, 1999)), AT, AT);
        pending.complete(StoredAnswer.of(new CommandResult(SchemaVersions.RESULT, "r-1", "c-1", "acme", "o-1",
                CommandResult.Outcome.APPLIED, 201, order, null, false, AT)));
        assertThat(waiting.getResponse().getStatus()).isEqualTo(201);
        assertThat(admission.inFlight()).isZero();

        when(gateway.submit(any(), any(), any())).thenReturn(CompletableFuture.completedFuture(null));
        assertThat(mvc.perform(place("k-3", true))).hasStatus(202);
        assertThat(admission.inFlight()).isZero();
    }

    private MockHttpServletRequestBuilder place(String key, boolean withToken) {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.post("/api/v1/orders").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).content(PLACE);
        if (withToken) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + OrderHttpContractTest.token("acme"));
        }
        return request;
    }
}
