package io.orderstream.api.orders;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents a command's 202: no result within the wait bound ({@link CommandAccepted}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "202", description = "No result within the wait bound: the command is in the log and "
        + "is applied once; repeat the same request with the same Idempotency-Key to obtain its result",
        headers = {
            @Header(name = "Retry-After", description = "Seconds to wait before repeating the request",
                    schema = @Schema(type = "integer", minimum = "0", example = "1")),
            @Header(name = "Location", description = "The order's URL", schema = @Schema(type = "string",
                    format = "uri-reference", example = "/api/v1/orders/o-1001"))},
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = CommandAccepted.class)))
@interface AcceptedResponse {
}
