package io.orderstream.api.orders;

import io.micrometer.core.instrument.Timer;
import io.orderstream.api.problems.FilterProblems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command's wait for its answer, without a second dispatch: the request goes async, and the
 * answer is written straight into the response (and the request completed) by whichever comes
 * second — the request's own dispatch returning through {@link CommandAdmission}, or the answer.
 * Writing only after the dispatch returned means no filter still works on the response; writing
 * on a container thread ({@link AsyncContext#start}) means the thread that delivered the answer
 * (the result reader, a producer callback) never waits on a slow client. Spring MVC's own async
 * support would run the whole filter chain (Spring Security with its token) and the
 * DispatcherServlet again for every command.
 */
final class CommandExchange {

    static final String ATTRIBUTE = CommandExchange.class.getName();

    /** Writes an answer, or the problem of a refusal, into the response. */
    interface Answer {
        void write(HttpServletRequest request, HttpServletResponse response, FilterProblems problems)
                throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(CommandExchange.class);
    private static final int DISPATCH_RETURNED = 1;
    private static final int ANSWER_READY = 2;

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final FilterProblems problems;
    private final Timer answerTime;
    private final long arrived = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger();
    private volatile AsyncContext async;
    private volatile Answer answer;

    /** @param answerTime records arrival to answer written, of commands that waited for their result */
    CommandExchange(HttpServletRequest request, HttpServletResponse response, FilterProblems problems,
            Timer answerTime) {
        this.request = request;
        this.response = response;
        this.problems = problems;
        this.answerTime = answerTime;
    }

    /** The exchange of a command request, which {@link CommandAdmission} opened. */
    static CommandExchange of(HttpServletRequest request) {
        Object exchange = request.getAttribute(ATTRIBUTE);
        if (exchange instanceof CommandExchange command) {
            return command;
        }
        throw new IllegalStateException("a command request passed without CommandAdmission");
    }

    /**
     * Starts the request's asynchronous wait; once {@code pending} completes, {@code writer} says what
     * to write (the value, or the failure). The
     * container's own timeout ({@code bound}) is only a backstop: the answer always comes first.
     */
    <T> void answerWhenDone(CompletableFuture<T> pending, Duration bound,
            BiFunction<T, Throwable, Answer> writer) {
        AsyncContext context = request.startAsync();
        context.setTimeout(bound.toMillis());
        this.async = context;
        pending.whenComplete((value, error) -> ready(writer.apply(value, error)));
    }

    private void ready(Answer ready) {
        this.answer = ready;
        if ((state.getAndUpdate(s -> s | ANSWER_READY) & DISPATCH_RETURNED) != 0) {
            async.start(this::writeAndComplete);
        }
    }

    /** Called by {@link CommandAdmission} once the request's dispatch returned through it. */
    void dispatchReturned() {
        if (async != null && (state.getAndUpdate(s -> s | DISPATCH_RETURNED) & ANSWER_READY) != 0) {
            writeAndComplete();
        }
    }

    private void writeAndComplete() {
        try {
            answer.write(request, response, problems);
            answerTime.record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS);
        } catch (Exception | Error e) {
            // the client went away, or the container gave up on the request (its backstop timeout)
            log.debug("answer to a command not written: {}", e.toString());
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyCompleted) {
                log.debug("command request completed before its answer: {}", alreadyCompleted.toString());
            }
        }
    }
}
