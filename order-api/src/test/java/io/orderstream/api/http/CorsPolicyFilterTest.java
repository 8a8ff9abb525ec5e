package io.orderstream.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.api.config.ApiProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.cors.CorsConfiguration;

class CorsPolicyFilterTest {

    @Test
    void noOriginsConfigured_allowsNoOrigin() {
        CorsConfiguration cors = CorsPolicyFilter.configuration(settings(List.of(""), List.of(), List.of()));

        assertThat(cors.checkOrigin("https://shop.example")).isNull();
        assertThat(cors.checkOrigin("null")).isNull();
    }

    @Test
    void configuredOrigins_andPatterns_areAllowed_othersAreNot() {
        CorsConfiguration cors = CorsPolicyFilter.configuration(settings(
                List.of("https://shop.example", " https://*.brand.example "), List.of(), List.of()));

        assertThat(cors.checkOrigin("https://shop.example")).isEqualTo("https://shop.example");
        assertThat(cors.checkOrigin("https://eu.brand.example")).isEqualTo("https://eu.brand.example");
        assertThat(cors.checkOrigin("https://evil.example")).isNull();
        assertThat(cors.checkOrigin("http://shop.example")).isNull();
        assertThat(cors.getAllowCredentials()).isFalse();
    }

    @Test
    void idempotencyKeyIsAlwaysAllowed_andReplayAndLocationAlwaysExposed_whateverIsConfigured() {
        CorsConfiguration cors = CorsPolicyFilter.configuration(settings(List.of("https://shop.example"),
                List.of("X-Trace"), List.of("X-Other", "location")));

        assertThat(cors.getAllowedHeaders()).contains("X-Trace", "Authorization", "Content-Type", "Idempotency-Key");
        assertThat(cors.getExposedHeaders()).containsExactly("X-Other", "location", "Idempotent-Replayed");
        assertThat(cors.checkHeaders(List.of("idempotency-key", "authorization"))).hasSize(2);
        assertThat(cors.checkHttpMethod(org.springframework.http.HttpMethod.PUT)).isNotNull();
        assertThat(cors.checkHttpMethod(org.springframework.http.HttpMethod.DELETE)).isNull();
        assertThat(cors.getMaxAge()).isEqualTo(3600);
    }

    private static ApiProperties.Cors settings(List<String> origins, List<String> headers, List<String> exposed) {
        return new ApiProperties.Cors(origins, List.of("get", "POST", "PUT", "OPTIONS"), headers, exposed,
                Duration.ofHours(1));
    }
}
