package io.orderstream.api.docs;

import io.orderstream.api.http.ApiHeaders;
import io.orderstream.events.ProblemType;
import io.orderstream.events.Traceparent;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): the
 * bearer scheme, the idempotency policy, and every problem type, each endpoint listing those it
 * answers ({@link ProblemResponses}).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String BEARER = "bearerJwt";
    static final String PROBLEM = "Problem";
    static final String IDEMPOTENCY_KEY = ApiHeaders.IDEMPOTENCY_KEY;
    static final String REPLAYED = ApiHeaders.IDEMPOTENT_REPLAYED;
    static final String TRACEPARENT = Traceparent.HEADER;
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /** What any endpoint behind authentication may answer. */
    static final Set<ProblemType> EVERY_ENDPOINT = EnumSet.of(ProblemType.BAD_REQUEST, ProblemType.UNAUTHENTICATED,
            ProblemType.FORBIDDEN, ProblemType.CORS_REJECTED, ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL);

    /** What any command may answer. */
    static final Set<ProblemType> EVERY_COMMAND = EnumSet.of(ProblemType.VALIDATION, ProblemType.MALFORMED_BODY,
            ProblemType.IDEMPOTENCY_KEY_MISSING, ProblemType.IDEMPOTENCY_KEY_INVALID, ProblemType.PAYLOAD_TOO_LARGE,
            ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.IDEMPOTENCY_KEY_REUSED, ProblemType.PROCESSING_FAILED,
            ProblemType.UNAVAILABLE, ProblemType.COMMAND_EXPIRED);

    private static final String DESCRIPTION = """
            Event-sourced orders on Apache Kafka: a duplicated request changes an order once.

            ## Authentication and tenancy
            Every request carries `Authorization: Bearer <JWT>`. The tenant is the token's `tenant` claim and \
            nothing else: a missing, expired, malformed or wrongly signed token is a 401, a token without a valid \
            `tenant` claim a 403. Another tenant's order answers 404, exactly like one that does not exist.

            ## Idempotency policy
            - **Key**: `POST` and `PUT` require exactly one `Idempotency-Key` header of 1–255 printable ASCII \
            characters (0x20–0x7E, not only spaces). Missing: 400 `idempotency-key-missing`; malformed or sent \
            twice: 400 `idempotency-key-invalid`.
            - **Scope**: the tenant and the order the command targets; keys of different tenants never meet. A \
            `POST` without `orderId` targets the order derived from the key.
            - **Retention**: 24 h by default (`ORDERS_IDEMPOTENCY_TTL` of the processor); after that the key is new.
            - **Same key, same request** (method, path and canonical JSON body): the identical status and body, \
            with `Idempotent-Replayed: true`. Business answers are remembered too: a 400 validation, 404, or 409 \
            is replayed like a success.
            - **Same key, different request**: 422 `idempotency-key-reused`; nothing changes, and the first answer \
            still stands for the first request.
            - **409**: the state machine forbids the status change (`invalid-transition`), or the `orderId` is \
            taken by another key (`order-already-exists`).
            - **202**: no result within the wait bound; the command is in the log and applies once. Repeat the \
            request with the same key to obtain its result. **503**: the command could not be queued; nothing \
            was done; retry with the same key.

            ## Problems
            Every error is `application/problem+json` (RFC 9457) with a stable `type`:

            | type | status | title |
            |---|---|---|
            """;

    @Bean
    OpenAPI orderStreamOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Order Stream API").version("v1").description(DESCRIPTION + problemTable()))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("A JWT with the claim `tenant` (and `exp`); HS256 with a shared secret "
                                        + "locally, an issuer's keys in production"))
                        .addSchemas(PROBLEM, problemSchema())
                        .addParameters(IDEMPOTENCY_KEY, new Parameter().in("header").name(IDEMPOTENCY_KEY)
                                .required(true)
                                .description("Names this request for 24 h within the tenant and the order: a "
                                        + "repeat with the same key gets the first answer, and changes nothing")
                                .schema(new StringSchema().minLength(1).maxLength(255).pattern("^[\\x20-\\x7E]+$")))
                        .addParameters(TRACEPARENT, new Parameter().in("header").name(TRACEPARENT)
                                .required(false)
                                .description("Optional W3C Trace Context: the command, its events and its result "
                                        + "continue this trace (a malformed value starts a new one)")
                                .schema(new StringSchema().pattern("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                                        .example("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
                        .addHeaders(REPLAYED, new Header().description("`true` when the answer is the stored answer "
                                + "to an earlier request with the same key; absent otherwise")
                                .schema(new StringSchema()._enum(List.of("true")))))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
            if (declared == null) {
                return operation;
            }
            Set<ProblemType> types = EnumSet.copyOf(EVERY_ENDPOINT);
            types.addAll(Arrays.asList(declared.value()));
            if (declared.idempotent()) {
                types.addAll(EVERY_COMMAND);
                operation.addParametersItem(new Parameter().$ref("#/components/parameters/" + IDEMPOTENCY_KEY));
                operation.addParametersItem(new Parameter().$ref("#/components/parameters/" + TRACEPARENT));
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("2") && !status.equals("202")) {
                        response.addHeaderObject(REPLAYED, new Header().$ref("#/components/headers/" + REPLAYED));
                    }
                });
            }
            Map<Integer, List<ProblemType>> byStatus = types.stream()
                    .collect(Collectors.groupingBy(ProblemType::status, TreeMap::new, Collectors.toList()));
            byStatus.forEach((status, ofStatus) -> operation.getResponses()
                    .addApiResponse(Integer.toString(status), problemResponse(ofStatus)));
            return operation;
        };
    }

    private static ApiResponse problemResponse(List<ProblemType> types) {
        MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
        Map<String, Example> examples = new LinkedHashMap<>();
        for (ProblemType type : types) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type.uri().toString());
            body.put("title", type.title());
            body.put("status", type.status());
            body.put("detail", "…");
            examples.put(slug(type), new Example().summary(type.title()).value(body));
        }
        media.setExamples(examples);
        return new ApiResponse()
                .description(types.stream().map(type -> "`" + slug(type) + "`: " + type.title())
                        .collect(Collectors.joining("; ")))
                .content(new Content().addMediaType(PROBLEM_JSON, media));
    }

    private static Schema<?> problemSchema() {
        StringSchema type = new StringSchema();
        type.format("uri").description("Stable problem type; see the table in the description");
        Arrays.stream(ProblemType.values()).forEach(problem -> type.addEnumItem(problem.uri().toString()));
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", type)
                .addProperty("title", new StringSchema().description("Short summary of the type"))
                .addProperty("status", new IntegerSchema().description("The HTTP status"))
                .addProperty("detail", new StringSchema().description("What was wrong; starts with the field or "
                        + "parameter at fault (`lines[0].quantity: …`) where there is one"))
                .addProperty("instance", new StringSchema().format("uri-reference").description("The request path"))
                .addProperty("parameter", new StringSchema().description("For `invalid-parameter`: the query "
                        + "parameter at fault"))
                .required(List.of("type", "title", "status"));
    }

    private static String problemTable() {
        return Arrays.stream(ProblemType.values())
                .map(type -> "| `" + type.uri() + "` | " + type.status() + " | " + type.title() + " |")
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String slug(ProblemType type) {
        return type.uri().toString().substring(ProblemType.BASE.length());
    }
}
