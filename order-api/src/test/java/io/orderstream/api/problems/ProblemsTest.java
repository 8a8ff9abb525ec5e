package io.orderstream.api.problems;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.ProblemType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

class ProblemsTest {

    @Test
    void everyStatusMapsToATypeOfThatStatus_orTheGeneralOneOfItsClass() {
        for (int status : new int[] {400, 401, 403, 404, 405, 406, 413, 415, 503}) {
            assertThat(Problems.forStatus(status).status()).as("status %d", status).isEqualTo(status);
        }
        assertThat(Problems.forStatus(414)).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(Problems.forStatus(431)).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(Problems.forStatus(500)).isEqualTo(ProblemType.INTERNAL);
        assertThat(Problems.forStatus(505)).isEqualTo(ProblemType.INTERNAL);
    }

    @Test
    void aProblemResponse_isProblemJson_withTypeTitleStatusAndDetail() {
        ResponseEntity<ProblemDetail> response = Problems.response(ProblemType.CORS_REJECTED, "no");

        assertThat(response.getStatusCode().value()).isEqualTo(403);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().getType().toString()).isEqualTo("urn:order-stream:problem:cors-rejected");
        assertThat(response.getBody().getTitle()).isEqualTo("Cross-origin request not allowed");
        assertThat(response.getBody().getDetail()).isEqualTo("no");
    }

    @Test
    void problemTypeUris_areUnique_andUnderTheStableBase() {
        Set<String> uris = new HashSet<>();
        Arrays.stream(ProblemType.values()).forEach(type -> {
            assertThat(type.uri().toString()).startsWith(ProblemType.BASE).matches("urn:order-stream:problem:[a-z-]+");
            assertThat(uris.add(type.uri().toString())).as(type.name()).isTrue();
        });
    }
}
