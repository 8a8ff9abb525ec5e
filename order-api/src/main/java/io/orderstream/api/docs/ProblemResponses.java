package io.orderstream.api.docs;

import io.orderstream.events.ProblemType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint answers besides those every endpoint may answer (401, 403, CORS,
 * malformed request, 500) and, for a command, those every command may answer (validation, key,
 * body, 422, 500, 503): the OpenAPI document lists them as {@code application/problem+json}
 * responses, one per status, with an example of each type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProblemResponses {

    ProblemType[] value();

    /** A command: takes {@code Idempotency-Key}, its successes may be replays, it may answer every command problem. */
    boolean idempotent() default false;
}
