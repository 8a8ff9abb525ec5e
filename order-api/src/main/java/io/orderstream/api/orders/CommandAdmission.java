package io.orderstream.api.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.FilterProblems;
import io.orderstream.events.ProblemType;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The edge of the command path, ahead of Spring Security and of any body parsing: at most
 * {@code orders.api.max-commands-in-flight} commands (POST, PUT under {@code /api/v1/orders}) are
 * handled at once, from arrival until their answer is written; one more is refused at once with
 * 503 {@code unavailable} and {@code Retry-After: 1}, before its token is verified or its body read,
 * so that overload costs the API next to nothing per refused request and its memory stays bounded
 * (nothing was sent: a retry with the same key is safe). Reads are not counted.
 *
 * <p>It also carries a command's {@link CommandExchange}: the answer to a command that waits for
 * its result is written by whichever comes second, the request's own dispatch returning through
 * this filter or the result arriving, straight into the response, with no second dispatch through
 * the filter chain and the DispatcherServlet. Metrics: {@code orders.api.commands.in.flight},
 * {@code orders.api.commands.shed}.
 */
@Component
class CommandAdmission extends OncePerRequestFilter implements Ordered {

    /** After the HTTP observation (a shed request is still timed) and before the request context and security. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final int limit;
    private final FilterProblems problems;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;
    private final Timer answerTime;

    CommandAdmission(ApiProperties properties, FilterProblems problems, ObjectProvider<MeterRegistry> registry) {
        this.limit = properties.api().maxCommandsInFlight();
        this.problems = problems;
        MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
        Gauge.builder("orders.api.commands.in.flight", inFlight, AtomicInteger::get)
                .description("commands (POST, PUT) being handled, from arrival until answered").register(meters);
        this.shed = Counter.builder("orders.api.commands.shed")
                .description("commands refused at the edge with 503: orders.api.max-commands-in-flight were in flight")
                .register(meters);
        this.answerTime = Timer.builder("orders.api.command.stage").tag("stage", "answer")
                .description("a command's time in the API by stage: send (to the broker's ack), result (ack to "
                        + "its result read), answer (arrival to the answer written)").register(meters);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !("POST".equals(method) || "PUT".equals(method))
                || !request.getRequestURI().startsWith(OrderController.ORDERS_PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            problems.answer(request, response, new Overloaded());
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        CommandExchange exchange = new CommandExchange(request, response, problems, answerTime);
        request.setAttribute(CommandExchange.ATTRIBUTE, exchange);
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Release(released));
                exchange.dispatchReturned();
            } else {
                release(released);
            }
        }
    }

    private void release(AtomicBoolean released) {
        if (released.compareAndSet(false, true)) {
            inFlight.decrementAndGet();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    private final class Release implements AsyncListener {
        private final AtomicBoolean released;

        Release(AtomicBoolean released) {
            this.released = released;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release(released);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /** Too many commands in flight: this one was not looked at. 503, retry after a second. */
    static final class Overloaded extends ApiProblemException {
        Overloaded() {
            super(ProblemType.UNAVAILABLE, "The service is at its limit of commands in flight; nothing was done. "
                    + "Retry with the same Idempotency-Key after Retry-After.", 1, null);
        }
    }
}
