package io.orderstream.api.problems;

import io.orderstream.events.Problem;
import io.orderstream.events.ProblemType;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds {@code application/problem+json} answers, the one shape of every error. */
public final class Problems {

    /** The problem answered for a status that has no more specific cause. */
    private static final Map<Integer, ProblemType> BY_STATUS = Map.of(
            400, ProblemType.BAD_REQUEST,
            401, ProblemType.UNAUTHENTICATED,
            403, ProblemType.FORBIDDEN,
            404, ProblemType.NOT_FOUND,
            405, ProblemType.METHOD_NOT_ALLOWED,
            406, ProblemType.NOT_ACCEPTABLE,
            413, ProblemType.PAYLOAD_TOO_LARGE,
            415, ProblemType.UNSUPPORTED_MEDIA_TYPE,
            503, ProblemType.UNAVAILABLE);

    private Problems() {
    }

    public static ProblemDetail detail(ProblemType type, String detail) {
        return detail(new Problem(type.uri().toString(), type.title(), type.status(), detail));
    }

    public static ProblemDetail detail(Problem problem) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(problem.status()), problem.detail());
        detail.setType(URI.create(problem.type()));
        detail.setTitle(problem.title());
        return detail;
    }

    public static ResponseEntity<ProblemDetail> response(ProblemType type, String detail) {
        return response(detail(type, detail));
    }

    public static ResponseEntity<ProblemDetail> response(ProblemDetail detail) {
        return response(detail, HttpHeaders.EMPTY);
    }

    /** The answer: the problem's status, {@code application/problem+json}, and {@code headers} besides. */
    public static ResponseEntity<ProblemDetail> response(ProblemDetail detail, HttpHeaders headers) {
        return ResponseEntity.status(detail.getStatus()).headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(detail);
    }

    /** A problem the client may retry after {@code seconds}: the answer carries {@code Retry-After}. */
    public static ResponseEntity<ProblemDetail> retryAfter(ProblemDetail detail, int seconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(seconds));
        return response(detail, headers);
    }

    /**
     * The general problem for an HTTP status: 4xx statuses without a type of their own are a
     * {@link ProblemType#BAD_REQUEST}, 5xx ones {@link ProblemType#INTERNAL}.
     */
    public static ProblemType forStatus(int status) {
        ProblemType type = BY_STATUS.get(status);
        if (type != null) {
            return type;
        }
        return status >= 400 && status < 500 ? ProblemType.BAD_REQUEST : ProblemType.INTERNAL;
    }
}
