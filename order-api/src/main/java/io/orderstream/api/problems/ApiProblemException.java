package io.orderstream.api.problems;

import io.orderstream.events.ProblemType;
import java.util.Map;

/** A request the API refuses, with the problem to answer. */
public class ApiProblemException extends RuntimeException {

    /** The problem member naming the query parameter of an {@link ProblemType#INVALID_PARAMETER}. */
    public static final String PARAMETER = "parameter";

    private final ProblemType type;
    private final Map<String, Object> properties;

    public ApiProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    private ApiProblemException(ProblemType type, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.type = type;
        this.properties = Map.copyOf(properties);
    }

    /** A query parameter that is wrong: {@code detail} is {@code name: message}, member {@code parameter}. */
    public static ApiProblemException invalidParameter(String name, String message) {
        return new ApiProblemException(ProblemType.INVALID_PARAMETER, name + ": " + message, Map.of(PARAMETER, name));
    }

    public ProblemType type() {
        return type;
    }

    /** Extension members of the problem, beyond type, title, status and detail. */
    public Map<String, Object> properties() {
        return properties;
    }
}
