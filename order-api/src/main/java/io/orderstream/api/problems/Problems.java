package io.orderstream.api.problems;

import io.orderstream.events.Problem;
import io.orderstream.events.ProblemType;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds {@code application/problem+json} answers, the one shape of every error. */
public final class Problems {

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
        return ResponseEntity.status(detail.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(detail);
    }
}
