package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.Json;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** What a client sees of a problem: status, {@code application/problem+json}, and a body of that type. */
final class Problems {

    static final String TYPE_BASE = "urn:order-stream:problem:";

    private Problems() {
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
        return assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body(), status, type);
    }

    static JsonNode assertProblem(RawHttp.Response response, int status, String type) {
        return assertProblem(response.status(), response.header("Content-Type"), response.text(), status, type);
    }

    private static JsonNode assertProblem(int actualStatus, String contentType, String body, int status, String type) {
        assertThat(actualStatus).as(body).isEqualTo(status);
        assertThat(contentType).as(body).startsWith("application/problem+json");
        JsonNode problem = Json.MAPPER.readTree(body);
        assertThat(problem.get("type").asString()).as(body).isEqualTo(TYPE_BASE + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }
}
