package io.orderstream.api.problems;

import io.orderstream.api.http.ApiHeaders;
import io.orderstream.events.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error the API answers, in one place, as {@code application/problem+json} with a stable
 * {@code type} per problem ({@link ProblemType}). Refusals made by filters and by Spring Security
 * are routed here too ({@link FilterProblems}), and so are the servlet container's error pages
 * ({@link ErrorProblemController}), the command gateway's refusals (subclasses of
 * {@link ApiProblemException}) and the processor's stored problems ({@link CommandRejectedException}).
 * No answer echoes a token.
 */
@RestControllerAdvice
class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<ProblemDetail> refused(ApiProblemException e) {
        ProblemDetail problem = Problems.detail(e.type(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return e.retryAfterSeconds() == null ? Problems.response(problem)
                : Problems.retryAfter(problem, e.retryAfterSeconds());
    }

    /** The processor's answer to a command, as stored: the same for every request with its key. */
    @ExceptionHandler(CommandRejectedException.class)
    ResponseEntity<ProblemDetail> answered(CommandRejectedException e) {
        HttpHeaders headers = new HttpHeaders();
        if (e.replayed()) {
            headers.set(ApiHeaders.IDEMPOTENT_REPLAYED, "true");
        }
        return Problems.response(Problems.detail(e.problem()), headers);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        // RFC 6750: a token that was sent but is not valid is an invalid_token; the description is
        // not echoed, it could carry parts of the token
        HttpHeaders challenge = new HttpHeaders();
        challenge.set(HttpHeaders.WWW_AUTHENTICATE,
                e instanceof OAuth2AuthenticationException ? "Bearer error=\"invalid_token\"" : "Bearer");
        return Problems.response(Problems.detail(ProblemType.UNAUTHENTICATED,
                "A valid bearer token is required (Authorization: Bearer <JWT>)."), challenge);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e) {
        return Problems.response(ProblemType.FORBIDDEN, "The token does not carry a valid 'tenant' claim.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return Problems.response(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, was "
                + (e.getContentType() == null ? "none" : e.getContentType().toString()) + ".");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return Problems.response(ProblemType.NOT_ACCEPTABLE, "Responses are application/json or application/problem+json.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return Problems.response(Problems.detail(ProblemType.METHOD_NOT_ALLOWED,
                "Method " + e.getMethod() + " is not supported here."), e.getHeaders());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noSuchResource(NoResourceFoundException e) {
        return Problems.response(ProblemType.NOT_FOUND, "No such resource.");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiProblemException refusal) {
                // a limit enforced while the body streamed in (BodySizeLimitFilter)
                return refused(refusal);
            }
        }
        return Problems.response(ProblemType.MALFORMED_BODY, "The request body could not be read.");
    }

    /** The firewall's refusal of a header value read late (control characters); never echoed. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return Problems.response(ProblemType.BAD_REQUEST, "The request was refused: a header value is malformed.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            // any other refusal Spring MVC knows the status of (binding, validation …)
            ProblemType type = Problems.forStatus(known.getStatusCode().value());
            return Problems.response(type, type.title() + ".");
        }
        if (e instanceof ErrorResponse known && known.getStatusCode().value() == ProblemType.UNAVAILABLE.status()) {
            return Problems.response(ProblemType.UNAVAILABLE, "The service could not answer in time; retry.");
        }
        if (e instanceof AsyncRequestNotUsableException) {
            // the client went away (closed its connection, timed out): there is no one to answer
            log.debug("client gone before its answer was written: {}", e.getMessage());
            return null;
        }
        log.error("unexpected error answering a request", e);
        return Problems.response(ProblemType.INTERNAL, "An unexpected error occurred; it has been logged.");
    }
}
