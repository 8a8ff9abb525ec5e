package io.orderstream.api.problems;

import io.orderstream.events.Problem;

/**
 * The processor answered a command with a problem (a rejection, a reused key, a failure, an
 * expired command): {@link ProblemAdvice} answers it exactly as it is stored, byte for byte the
 * same for every request with the key, and says when it is a replay.
 */
public final class CommandRejectedException extends RuntimeException {

    private final Problem problem;
    private final boolean replayed;

    public CommandRejectedException(Problem problem, boolean replayed) {
        super(problem.type(), null, false, false);
        this.problem = problem;
        this.replayed = replayed;
    }

    public Problem problem() {
        return problem;
    }

    /** The stored answer to an earlier request with the same key. */
    public boolean replayed() {
        return replayed;
    }
}
