package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.ProblemType;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document as its readers get it: without a token, parseable, and complete. */
class OpenApiIT {

    private static Api api;
    private static OpenAPI openApi;

    @BeforeAll
    static void readTheDocument() throws Exception {
        api = TestStack.get().api;
        HttpResponse<String> response = api.send(api.request("/v3/api-docs").GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        openApi = Json31.mapper().readValue(response.body(), OpenAPI.class);
    }

    @Test
    void document_isOpenApi3_withEveryEndpoint() {
        assertThat(openApi.getOpenapi()).startsWith("3.");
        assertThat(openApi.getInfo().getTitle()).isEqualTo("Order Stream API");
        Map<String, String> operations = new LinkedHashMap<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.put(method + " " + path, operation.getOperationId())));

        assertThat(operations).containsOnly(
                Map.entry("POST /api/v1/orders", "placeOrder"),
                Map.entry("GET /api/v1/orders", "listOrders"),
                Map.entry("GET /api/v1/orders/{orderId}", "getOrder"),
                Map.entry("PUT /api/v1/orders/{orderId}/status", "changeOrderStatus"),
                Map.entry("GET /api/v1/orders/{orderId}/events", "getOrderEvents"));
        assertThat(operation("GET", "/api/v1/orders").getParameters()).extracting(Parameter::getName)
                .containsExactlyInAnyOrder("status", "limit", "cursor");
        assertThat(operation("POST", "/api/v1/orders").getRequestBody().getContent().get("application/json")
                .getSchema().get$ref()).endsWith("/PlaceOrderRequest");
    }

    @Test
    void commands_documentTheIdempotencyKey_andTheReplayHeader() {
        Parameter key = openApi.getComponents().getParameters().get("Idempotency-Key");
        assertThat(key.getIn()).isEqualTo("header");
        assertThat(key.getRequired()).isTrue();
        assertThat(key.getSchema().getMinLength()).isEqualTo(1);
        assertThat(key.getSchema().getMaxLength()).isEqualTo(255);
        assertThat(openApi.getComponents().getHeaders()).containsKey("Idempotent-Replayed");

        Map<String, Operation> commands = Map.of("201", operation("POST", "/api/v1/orders"),
                "200", operation("PUT", "/api/v1/orders/{orderId}/status"));
        commands.forEach((successStatus, command) -> {
            assertThat(command.getParameters()).extracting(Parameter::get$ref)
                    .contains("#/components/parameters/Idempotency-Key");
            assertThat(command.getResponses().get(successStatus).getHeaders()).containsKey("Idempotent-Replayed");
            assertThat(command.getResponses().get("202").getHeaders()).containsKeys("Retry-After", "Location");
            assertThat(command.getResponses()).containsKeys("400", "409", "413", "415", "422", "503");
        });
        assertThat(operation("POST", "/api/v1/orders").getResponses().get("201").getHeaders()).containsKey("Location");
        assertThat(operation("GET", "/api/v1/orders").getParameters()).extracting(Parameter::get$ref)
                .doesNotContain("#/components/parameters/Idempotency-Key");
    }

    @Test
    void description_statesTheIdempotencyPolicy() {
        assertThat(openApi.getInfo().getDescription()).contains("Idempotency-Key", "1–255 printable ASCII", "24 h",
                "Idempotent-Replayed: true", "422", "409", "400", "202");
    }

    @Test
    void bearerJwt_isTheSecurityScheme_ofEveryOperation() {
        SecurityScheme bearer = openApi.getComponents().getSecuritySchemes().get("bearerJwt");

        assertThat(bearer.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(bearer.getScheme()).isEqualTo("bearer");
        assertThat(bearer.getBearerFormat()).isEqualTo("JWT");
        assertThat(openApi.getSecurity()).anySatisfy(requirement -> assertThat(requirement).containsKey("bearerJwt"));
    }

    @Test
    void everyProblemType_isNamed_andEveryErrorResponseIsAProblem() {
        List<String> types = Arrays.stream(ProblemType.values()).map(type -> type.uri().toString()).toList();
        Schema<?> problem = openApi.getComponents().getSchemas().get("Problem");

        assertThat(problem.getProperties().get("type").getEnum()).map(Object::toString)
                .containsExactlyInAnyOrderElementsOf(types);
        assertThat(openApi.getInfo().getDescription()).contains(types);
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            assertThat(operation.getResponses()).as(method + " " + path).containsKeys("401", "403", "500");
            operation.getResponses().forEach((status, response) -> {
                if (Integer.parseInt(status) >= 400) {
                    assertThat(response.getContent().get("application/problem+json").getSchema().get$ref())
                            .as(method + " " + path + " " + status).isEqualTo("#/components/schemas/Problem");
                }
            });
        }));
        // each endpoint's own problems, with an example of each type
        Map<String, Object> notFound = operation("GET", "/api/v1/orders/{orderId}").getResponses().get("404")
                .getContent().get("application/problem+json").getExamples().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().getValue()));
        assertThat(notFound).containsOnlyKeys("order-not-found");
    }

    @Test
    void swaggerUi_isServedWithoutAToken() {
        HttpResponse<String> entry = api.send(api.request("/swagger-ui.html").GET().build());
        HttpResponse<String> page = api.send(api.request("/swagger-ui/index.html").GET().build());
        HttpResponse<String> config = api.send(api.request("/v3/api-docs/swagger-config").GET().build());

        assertThat(entry.statusCode()).isEqualTo(302);
        assertThat(entry.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/swagger-ui/index.html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");
    }

    private static Operation operation(String method, String path) {
        PathItem item = openApi.getPaths().get(path);
        assertThat(item).as(path).isNotNull();
        return item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method));
    }
}
