package io.orderstream.api.problems;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers a refusal made outside a controller (a servlet filter, a security entry point) through
 * {@link ProblemAdvice}, so that it has exactly the shape of every other problem.
 */
@Component
public class FilterProblems {

    private final HandlerExceptionResolver resolver;

    FilterProblems(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    public void answer(HttpServletRequest request, HttpServletResponse response, Exception refusal)
            throws IOException {
        if (resolver.resolveException(request, response, null, refusal) == null) {
            // not expected: the advice handles every exception; never leave the request unanswered
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        }
    }
}
