package io.orderstream.local;

import static io.orderstream.local.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.orderstream.api.OrderApiApplication;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The production way to verify tokens: no shared secret, the issuer's public keys from a JWK set
 * URI, its {@code iss}, and this API's audience in {@code aud}. A second API instance is started
 * against the shared broker and database for it, with {@code ORDERS_JWT_SECRET} empty as in
 * production (and without touching the shared topics).
 */
class JwkSetAuthenticationIT {

    private static final String ISSUER = "https://issuer.example.test/";
    private static final String AUDIENCE = "order-stream-api";

    @Test
    void tokensAreVerifiedWithTheIssuersJwkSet_whenNoSecretIsConfigured() throws Exception {
        TestStack stack = TestStack.get();
        RSAKey issuerKey = new RSAKeyGenerator(2048).keyID("issuer-1").generate();
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("issuer-1").generate();
        byte[] jwks = new JWKSet(issuerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        issuer.start();
        try (ConfigurableApplicationContext api = startApi(stack,
                "--orders.security.issuer-uri=" + ISSUER,
                "--orders.security.audience=" + AUDIENCE,
                "--orders.security.jwk-set-uri=http://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks.json")) {
            String base = "http://localhost:" + api.getEnvironment().getProperty("local.server.port");
            String tenant = TestStack.newTenant();

            HttpResponse<String> signed = list(base, rs256(issuerKey, ISSUER, tenant, 3600, AUDIENCE));
            HttpResponse<String> amongAudiences = list(base, rs256(issuerKey, ISSUER, tenant, 3600, "billing", AUDIENCE));
            HttpResponse<String> otherKeySigned = list(base, rs256(otherKey, ISSUER, tenant, 3600, AUDIENCE));
            HttpResponse<String> otherIssuer = list(base, rs256(issuerKey, "https://elsewhere.test/", tenant, 3600,
                    AUDIENCE));
            HttpResponse<String> noIssuer = list(base, rs256(issuerKey, null, tenant, 3600, AUDIENCE));
            HttpResponse<String> expired = list(base, rs256(issuerKey, ISSUER, tenant, -3600, AUDIENCE));
            HttpResponse<String> justExpired = list(base, rs256(issuerKey, ISSUER, tenant, -15, AUDIENCE));
            HttpResponse<String> noAudience = list(base, rs256(issuerKey, ISSUER, tenant, 3600));
            HttpResponse<String> otherAudience = list(base, rs256(issuerKey, ISSUER, tenant, 3600, "billing"));
            HttpResponse<String> sharedSecret = list(base, stack.api.token(tenant));
            HttpResponse<String> noTenant = list(base, rs256(issuerKey, ISSUER, null, 3600, AUDIENCE));

            for (HttpResponse<String> admitted : List.of(signed, amongAudiences)) {
                assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
                assertThat(CommandPathIT.json(admitted).get("items").isArray()).isTrue();
            }
            for (HttpResponse<String> refused : List.of(otherKeySigned, otherIssuer, noIssuer, expired, justExpired,
                    noAudience, otherAudience, sharedSecret)) {
                assertProblem(refused, 401, "unauthenticated");
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
            }
            assertProblem(noTenant, 403, "forbidden");
        } finally {
            issuer.stop(0);
        }
    }

    @Test
    void withTheIssuersKeysButNoAudience_theApiRefusesToStart_sayingWhatToSet() {
        TestStack stack = TestStack.get();
        for (String keys : List.of("--orders.security.jwk-set-uri=http://127.0.0.1:1/jwks.json",
                "--orders.security.issuer-uri=" + ISSUER)) {
            Throwable failure = catchThrowable(() -> startApi(stack, keys).close());

            assertThat(failure).as(keys).isNotNull();
            assertThat(rootCause(failure).getMessage()).as(keys).startsWith("ORDERS_JWT_AUDIENCE must be set");
        }
    }

    /** A second API on the shared broker and database, without the shared secret, as in production. */
    private static ConfigurableApplicationContext startApi(TestStack stack, String... security) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + stack.bootstrapServers,
                "--spring.datasource.url=" + stack.jdbcUrl,
                "--spring.datasource.username=" + stack.dbUser,
                "--spring.datasource.password=" + stack.dbPassword,
                "--spring.kafka.admin.auto-create=false",
                "--orders.security.jwt-secret="));
        args.addAll(List.of(security));
        return OrderApiApplication.builder().registerShutdownHook(false).run(args.toArray(String[]::new));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String rs256(RSAKey key, String issuer, String tenant, long validForSeconds, String... audience)
            throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("user@" + tenant).issuer(issuer)
                .audience(audience.length == 0 ? null : List.of(audience))
                .expirationTime(Date.from(Instant.now().plusSeconds(validForSeconds)));
        if (tenant != null) {
            claims.claim("tenant", tenant);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static HttpResponse<String> list(String base, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
