package io.orderstream.api.problems;

import io.orderstream.events.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), replacing Spring Boot's JSON one: errors
 * raised before a request reaches a controller (the firewall's refusal of a malformed URL, an
 * exception escaping a filter, {@code sendError} anywhere) are answered as problems too.
 */
@RestController
class ErrorProblemController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorProblemController.class);

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        ProblemType type = Problems.forStatus(status);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (type == ProblemType.INTERNAL) {
            log.error("unexpected error answering {} with {}", path, status, failure instanceof Throwable t ? t : null);
        }
        ProblemDetail problem = Problems.detail(type, detailFor(type));
        if (path instanceof String requested) {
            try {
                problem.setInstance(new URI(requested)); // the path that failed, as sent, rather than /error
            } catch (URISyntaxException unusable) {
                // not a URI: the instance stays /error
            }
        }
        return Problems.response(problem);
    }

    private static String detailFor(ProblemType type) {
        return switch (type) {
            case BAD_REQUEST -> "The request was refused: its URL, headers or framing are malformed.";
            case UNAUTHENTICATED -> "A valid bearer token is required (Authorization: Bearer <JWT>).";
            case NOT_FOUND -> "No such resource.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            case INTERNAL -> "An unexpected error occurred; it has been logged.";
            default -> type.title() + ".";
        };
    }
}
