package io.orderstream.api.problems;

import io.orderstream.events.ProblemType;
import java.util.Map;

/**
 * A request the API refuses, with the problem to answer: {@link ProblemAdvice} turns it into the
 * response. Subclasses name refusals of their own (a gateway that is at its limit, a command not
 * sent); the answer is built here all the same.
 */
public class ApiProblemException extends RuntimeException {

    /** The problem member naming the query parameter of an {@link ProblemType#INVALID_PARAMETER}. */
    public static final String PARAMETER = "parameter";

    private final ProblemType type;
    private final Map<String, Object> properties;
    private final Integer retryAfterSeconds;

    public ApiProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of(), null, null);
    }

    /**
     * A refusal the client may repeat: the answer carries {@code Retry-After} when
     * {@code retryAfterSeconds} is given. {@code cause}, where there is one, is kept for the logs.
     */
    protected ApiProblemException(ProblemType type, String detail, Integer retryAfterSeconds, Throwable cause) {
        this(type, detail, Map.of(), retryAfterSeconds, cause);
    }

    private ApiProblemException(ProblemType type, String detail, Map<String, Object> properties,
            Integer retryAfterSeconds, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
        this.properties = Map.copyOf(properties);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A query parameter that is wrong: {@code detail} is {@code name: message}, member {@code parameter}. */
    public static ApiProblemException invalidParameter(String name, String message) {
        return new ApiProblemException(ProblemType.INVALID_PARAMETER, name + ": " + message, Map.of(PARAMETER, name),
                null, null);
    }

    public ProblemType type() {
        return type;
    }

    /** Extension members of the problem, beyond type, title, status and detail. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Seconds the client should wait before repeating the request ({@code Retry-After}), or {@code null}. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
