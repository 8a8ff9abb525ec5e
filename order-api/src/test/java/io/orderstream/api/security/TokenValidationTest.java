package io.orderstream.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderstream.api.config.ApiProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * What the API's token check accepts and refuses, decided by the decoder it builds from its settings
 * (the same bean the resource server uses: a refused token is answered 401 {@code invalid_token}).
 */
class TokenValidationTest {

    private static final String SECRET = "token-validation-test-secret-of-at-least-32-bytes";

    @Test
    void tokenExpiredByMoreThanTheClockSkew_isRefused() {
        JwtDecoder decoder = SecurityConfiguration.decoder(secret(null, Duration.ofSeconds(5)));

        for (long secondsAgo : List.of(6L, 10L, 30L, 59L, 3600L)) {
            String token = sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(secondsAgo))));
            assertThatThrownBy(() -> decoder.decode(token)).as("expired %d s ago", secondsAgo)
                    .isInstanceOf(BadJwtException.class).hasMessageContaining("expired");
        }
    }

    @Test
    void tokenExpiredByLessThanTheClockSkew_isStillAccepted() {
        JwtDecoder decoder = SecurityConfiguration.decoder(secret(null, Duration.ofSeconds(5)));
        String token = sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(2))));

        assertThat(decoder.decode(token).getClaimAsString("tenant")).isEqualTo("acme");
    }

    @Test
    void clockSkew_isASetting() {
        String expired90sAgo = sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(90))));
        String expired1sAgo = sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(1))));
        String notBeforeIn3s = sign(claims().expirationTime(Date.from(Instant.now().plusSeconds(60)))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(3))));

        JwtDecoder lenient = SecurityConfiguration.decoder(secret(null, Duration.ofMinutes(2)));
        JwtDecoder strict = SecurityConfiguration.decoder(secret(null, Duration.ZERO));

        assertThat(lenient.decode(expired90sAgo).getClaimAsString("tenant")).isEqualTo("acme");
        assertThat(lenient.decode(notBeforeIn3s).getClaimAsString("tenant")).isEqualTo("acme");
        assertThatThrownBy(() -> strict.decode(expired1sAgo)).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> strict.decode(notBeforeIn3s)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void defaultClockSkew_isFiveSeconds_whenTheVariableIsEmpty() {
        for (Map<String, String> settings : List.of(Map.of("orders.security.clock-skew", ""),
                Map.<String, String>of())) {
            ApiProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                    .bindOrCreate("orders", ApiProperties.class);

            assertThat(properties.security().clockSkew()).as(settings.toString()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void withAnAudience_onlyTokensForIt_areAccepted() {
        JwtDecoder decoder = SecurityConfiguration.decoder(secret("order-stream-api", Duration.ofSeconds(5)));
        Date expiry = Date.from(Instant.now().plusSeconds(60));

        for (List<String> audience : List.of(List.of("order-stream-api"), List.of("billing", "order-stream-api"))) {
            String token = sign(claims().expirationTime(expiry).audience(audience));
            assertThat(decoder.decode(token).getAudience()).as(audience.toString()).contains("order-stream-api");
        }
        for (List<String> audience : List.of(List.<String>of(), List.of("billing"), List.of("order-stream-api-2"),
                List.of("ORDER-STREAM-API"), List.of("billing", "payments"))) {
            String token = sign(claims().expirationTime(expiry).audience(audience));
            assertThatThrownBy(() -> decoder.decode(token)).as(audience.toString())
                    .isInstanceOf(BadJwtException.class).hasMessageContaining("aud");
        }
    }

    @Test
    void withTheSharedSecretAndNoAudience_tokensWithoutAud_areAccepted() {
        JwtDecoder decoder = SecurityConfiguration.decoder(secret(null, Duration.ofSeconds(5)));
        String token = sign(claims().expirationTime(Date.from(Instant.now().plusSeconds(60))));

        assertThat(decoder.decode(token).getClaimAsString("tenant")).isEqualTo("acme");
    }

    @Test
    void productionKeysWithoutAnAudience_refuseToStart_withAClearMessage() {
        List<ApiProperties.Security> production = List.of(
                new ApiProperties.Security(null, "https://issuer.example.test/jwks.json", null, null,
                        Duration.ofSeconds(5), 0),
                new ApiProperties.Security("", null, "https://issuer.example.test/", "", Duration.ofSeconds(5), 0),
                new ApiProperties.Security(null, "https://issuer.example.test/jwks.json", "https://issuer.example.test/",
                        " ", Duration.ofSeconds(5), 0),
                // a shared secret beside an issuer does not make it a local set-up
                new ApiProperties.Security(SECRET, null, "https://issuer.example.test/", null, Duration.ofSeconds(5), 0));

        for (ApiProperties.Security security : production) {
            assertThatThrownBy(() -> SecurityConfiguration.decoder(security)).as(security.toString())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("ORDERS_JWT_AUDIENCE must be set");
        }
        assertThat(SecurityConfiguration.decoder(new ApiProperties.Security(null, "https://issuer.example.test/jwks.json",
                null, "order-stream-api", Duration.ofSeconds(5), 0))).isNotNull();
    }

    private static ApiProperties.Security secret(String audience, Duration clockSkew) {
        return new ApiProperties.Security(SECRET, null, null, audience, clockSkew, 0);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("someone").claim("tenant", "acme");
    }

    private static String sign(JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
