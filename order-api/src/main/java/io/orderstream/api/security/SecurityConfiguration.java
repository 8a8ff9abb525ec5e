package io.orderstream.api.security;

import io.orderstream.api.config.ApiProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Bearer JWTs only, stateless. The tenant comes from the verified {@code tenant} claim and nowhere
 * else; a token without a valid one is authenticated but forbidden (403). Failures are answered by
 * the problem advice, like every other error.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String TENANT_AUTHORITY = "TENANT_MEMBER";

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error").permitAll()
                        .requestMatchers("/api/**").hasAuthority(TENANT_AUTHORITY)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(SecurityConfiguration::withTenant))
                        .authenticationEntryPoint((request, response, e) ->
                                problems.resolveException(request, response, null, e))
                        .accessDeniedHandler((request, response, e) ->
                                problems.resolveException(request, response, null, e)))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) ->
                                problems.resolveException(request, response, null, e))
                        .accessDeniedHandler((request, response, e) ->
                                problems.resolveException(request, response, null, e)));
        return http.build();
    }

    /** HS256 with a shared secret: local use and tests. Production configures an issuer or JWK set. */
    @Bean
    @ConditionalOnProperty("orders.security.jwt-secret")
    JwtDecoder hmacJwtDecoder(ApiProperties properties) {
        byte[] secret = properties.security().jwtSecret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new IllegalStateException("ORDERS_JWT_SECRET must be at least 32 bytes for HS256 (it has "
                    + secret.length + ")");
        }
        return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build();
    }

    private static AbstractAuthenticationToken withTenant(Jwt jwt) {
        boolean hasTenant = Tenants.fromClaim(jwt).isPresent();
        return new JwtAuthenticationToken(jwt,
                hasTenant ? List.of(new SimpleGrantedAuthority(TENANT_AUTHORITY)) : List.of());
    }

}
