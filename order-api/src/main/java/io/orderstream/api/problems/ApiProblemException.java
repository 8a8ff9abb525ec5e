package io.orderstream.api.problems;

import io.orderstream.events.ProblemType;

/** A request the API refuses, with the problem to answer. */
public class ApiProblemException extends RuntimeException {

    private final ProblemType type;

    public ApiProblemException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }
}
