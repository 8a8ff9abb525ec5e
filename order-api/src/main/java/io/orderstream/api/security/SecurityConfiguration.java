package io.orderstream.api.security;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.http.BodySizeLimitFilter;
import io.orderstream.api.http.CorsPolicyFilter;
import io.orderstream.api.problems.FilterProblems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * Bearer JWTs only, stateless. The tenant comes from the verified {@code tenant} claim and nowhere
 * else; a token without a valid one is authenticated but forbidden (403). Before any token is
 * looked at, CORS is decided and an oversized body refused. Every refusal is answered by the
 * problem advice, like every other error.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String TENANT_AUTHORITY = "TENANT_MEMBER";

    /** Served to anyone: health for probes, the API's description for its readers. */
    static final String[] PUBLIC_PATHS = {"/actuator/health", "/actuator/health/**", "/actuator/info",
        "/actuator/prometheus", "/error", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
        "/swagger-ui.html", "/swagger-ui/**"};

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, FilterProblems problems, ApiProperties properties)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAfter(new CorsPolicyFilter(properties.api().cors(), problems), HeaderWriterFilter.class)
                .addFilterBefore(new BodySizeLimitFilter(properties.api().maxBodyBytes(), problems),
                        BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(PUBLIC_PATHS).permitAll()
                        .requestMatchers("/api/**").hasAuthority(TENANT_AUTHORITY)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(SecurityConfiguration::withTenant))
                        .authenticationEntryPoint(problems::answer)
                        .accessDeniedHandler(problems::answer))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems::answer)
                        .accessDeniedHandler(problems::answer));
        return http.build();
    }

    /**
     * HS256 with a shared secret: local use and tests. Production configures an issuer or JWK set.
     * A token must carry {@code exp}: one that never expires is refused.
     */
    @Bean
    @ConditionalOnProperty("orders.security.jwt-secret")
    JwtDecoder hmacJwtDecoder(ApiProperties properties) {
        byte[] secret = properties.security().jwtSecret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new IllegalStateException("ORDERS_JWT_SECRET must be at least 32 bytes for HS256 (it has "
                    + secret.length + ")");
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull)));
        return decoder;
    }

    private static AbstractAuthenticationToken withTenant(Jwt jwt) {
        boolean hasTenant = Tenants.fromClaim(jwt).isPresent();
        return new JwtAuthenticationToken(jwt,
                hasTenant ? List.of(new SimpleGrantedAuthority(TENANT_AUTHORITY)) : List.of());
    }
}
