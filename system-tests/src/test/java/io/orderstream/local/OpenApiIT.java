package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.orderstream.events.ProblemType;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document as its readers get it: without a token, valid by the ecosystem's own tools
 * (the official OpenAPI 3.1 JSON Schema and swagger-parser), every example valid against its own
 * schema, and complete.
 */
class OpenApiIT {

    /** Unmodified OpenAPI Initiative artefact; origin and licence in the resource folder's README. */
    private static final String OAS_31_SCHEMA = "openapi/oas-3.1-schema-2022-10-07.json";
    private static final String JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static Api api;
    private static String served;
    private static JsonNode tree;
    private static OpenAPI openApi;

    @BeforeAll
    static void readTheDocument() throws Exception {
        api = TestStack.get().api;
        HttpResponse<String> response = api.send(api.request("/v3/api-docs").GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        served = response.body();
        tree = JSON.readTree(served);
        openApi = Json31.mapper().readValue(served, OpenAPI.class);
    }

    @Test
    void document_validatesAgainstTheOfficialOpenApi31Schema() throws IOException {
        com.networknt.schema.Schema oas;
        try (InputStream in = OpenApiIT.class.getClassLoader().getResourceAsStream(OAS_31_SCHEMA)) {
            oas = SCHEMAS.getSchema(JSON.readTree(in));
        }

        assertThat(tree.path("openapi").asString()).startsWith("3.1.");
        assertThat(oas.validate(tree)).map(Error::toString).isEmpty();
    }

    @Test
    void everySchemaObject_isAValidJsonSchema() {
        com.networknt.schema.Schema metaSchema = SCHEMAS.getSchema(SchemaLocation.of(JSON_SCHEMA_2020_12));
        List<Located> schemas = new ArrayList<>();
        collect(tree, "#", false, schemas, new ArrayList<>());

        assertThat(schemas).hasSizeGreaterThan(10);
        for (Located schema : schemas) {
            assertThat(metaSchema.validate(schema.node())).as(schema.pointer()).map(Error::toString).isEmpty();
        }
    }

    @Test
    void swaggerParser_readsTheDocument_withoutAMessage() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getPaths()).containsKeys("/api/v1/orders", "/api/v1/orders/{orderId}/status");
    }

    @Test
    void everyExample_validatesAgainstItsOwnSchema() {
        List<Located> examples = new ArrayList<>();
        collect(tree, "#", false, new ArrayList<>(), examples);

        // the problem examples of every operation, and those of headers and parameters
        assertThat(examples).hasSizeGreaterThan(20);
        assertThat(examples).extracting(Located::pointer)
                .anyMatch(pointer -> pointer.contains("/headers/Location"))
                .anyMatch(pointer -> pointer.contains("/headers/Retry-After"))
                .anyMatch(pointer -> pointer.contains("/parameters/traceparent"))
                .anyMatch(pointer -> pointer.contains("application~1problem+json"));
        for (Located example : examples) {
            assertThat(violations(example.schema(), example.node())).as(example.pointer()).isEmpty();
        }
        // and the check sees a wrong one: a problem whose type is no problem type, whose status is text
        JsonNode problem = examples.stream().filter(example -> example.pointer().contains("application~1problem+json"))
                .findFirst().orElseThrow().schema();
        assertThat(violations(problem, JSON.readTree("{\"type\":\"urn:x\",\"title\":\"t\",\"status\":\"409\"}")))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    /** The violations of a value against a schema of the document, its references resolved in the document. */
    private static List<String> violations(JsonNode schema, JsonNode value) {
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.put("$schema", JSON_SCHEMA_2020_12);
        wrapper.set("components", tree.path("components"));
        wrapper.putArray("allOf").add(schema);
        return SCHEMAS.getSchema(wrapper).validate(value).stream().map(Error::toString).toList();
    }

    @Test
    void commands_documentTheOptionalTraceparent() {
        Parameter traceparent = openApi.getComponents().getParameters().get("traceparent");

        assertThat(traceparent.getIn()).isEqualTo("header");
        assertThat(traceparent.getRequired()).isFalse();
        for (Operation command : List.of(operation("POST", "/api/v1/orders"),
                operation("PUT", "/api/v1/orders/{orderId}/status"))) {
            assertThat(command.getParameters()).extracting(Parameter::get$ref)
                    .contains("#/components/parameters/traceparent");
        }
    }

    /** A node of the document with its JSON pointer, and for an example the schema it must satisfy. */
    private record Located(String pointer, JsonNode node, JsonNode schema) {
    }

    /**
     * Walks the document: every Schema Object (under {@code schema}, {@code components/schemas}
     * and, within a schema, its subschemas), and every example with the schema it illustrates
     * (of a parameter, header or media type, with its {@code examples} map resolved, and of a
     * schema itself).
     */
    private static void collect(JsonNode node, String pointer, boolean isSchema, List<Located> schemas,
            List<Located> examples) {
        if (!node.isObject()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    collect(node.get(i), pointer + "/" + i, false, schemas, examples);
                }
            }
            return;
        }
        if (isSchema) {
            schemas.add(new Located(pointer, node, null));
            if (node.has("example")) {
                examples.add(new Located(pointer + "/example", node.get("example"), node));
            }
            node.path("examples").forEach(value -> examples.add(new Located(pointer + "/examples", value, node)));
            node.properties().forEach(member -> {
                String at = pointer + "/" + escape(member.getKey());
                switch (member.getKey()) {
                    case "properties", "$defs", "patternProperties" -> member.getValue().properties().forEach(
                            sub -> collect(sub.getValue(), at + "/" + escape(sub.getKey()), true, schemas, examples));
                    case "allOf", "anyOf", "oneOf", "prefixItems" -> {
                        for (int i = 0; i < member.getValue().size(); i++) {
                            collect(member.getValue().get(i), at + "/" + i, true, schemas, examples);
                        }
                    }
                    case "items", "additionalProperties", "not", "contains" ->
                            collect(member.getValue(), at, true, schemas, examples);
                    default -> {
                    }
                }
            });
            return;
        }
        JsonNode schema = node.get("schema");
        if (schema != null && schema.isObject()) {
            if (node.has("example")) {
                examples.add(new Located(pointer + "/example", node.get("example"), schema));
            }
            node.path("examples").properties().forEach(named -> examples.add(new Located(
                    pointer + "/examples/" + escape(named.getKey()), exampleValue(named.getValue()), schema)));
        }
        node.properties().forEach(member -> {
            String at = pointer + "/" + escape(member.getKey());
            if (member.getKey().equals("schema")) {
                collect(member.getValue(), at, true, schemas, examples);
            } else if (pointer.equals("#/components") && member.getKey().equals("schemas")) {
                member.getValue().properties().forEach(
                        named -> collect(named.getValue(), at + "/" + escape(named.getKey()), true, schemas, examples));
            } else {
                collect(member.getValue(), at, false, schemas, examples);
            }
        });
    }

    /** An Example Object's value, following a reference into {@code components/examples}. */
    private static JsonNode exampleValue(JsonNode example) {
        JsonNode resolved = example;
        if (example.has("$ref")) {
            resolved = tree.at(example.get("$ref").asString().substring(1));
        }
        assertThat(resolved.has("value")).as("example " + example).isTrue();
        return resolved.get("value");
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
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
