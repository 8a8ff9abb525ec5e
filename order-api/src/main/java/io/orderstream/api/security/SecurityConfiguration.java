package io.orderstream.api.security;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.http.BodySizeLimitFilter;
import io.orderstream.api.http.CorsPolicyFilter;
import io.orderstream.api.problems.FilterProblems;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.util.StringUtils;

/**
 * Bearer JWTs only, stateless. The tenant comes from the verified {@code tenant} claim and nowhere
 * else; a token without a valid one is authenticated but forbidden (403). Before any token is
 * looked at, CORS is decided and an oversized body refused. Every refusal is answered by the
 * problem advice, like every other error.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String TENANT_AUTHORITY = "TENANT_MEMBER";

    /** Served to anyone: the API's description for its readers. */
    static final String[] PUBLIC_PATHS = {"/error", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
        "/swagger-ui.html", "/swagger-ui/**"};

    /**
     * The management port (health, metrics): no token, for probes and Prometheus; it is kept off
     * public networks instead. Boot's matcher matches only requests the management server serves, so
     * {@code /actuator/**} on the API's own port falls to the chain below and finds nothing.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain managementSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

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
     * HS256 with a shared secret for local use and tests; in production the issuer's keys, from its
     * JWK set URI or discovered from the issuer. Whichever: a token must carry {@code exp} (one that
     * never expires is refused) and is refused once {@code exp} is more than the clock skew past; the
     * issuer's {@code iss} where an issuer is configured; the audience in {@code aud} where one is
     * configured, and in production one must be.
     */
    /**
     * The decoder below, behind a cache of the tokens it verified ({@link VerifiedTokens}): a
     * storefront's token is verified once, then answered from memory until its {@code exp}.
     */
    @Bean
    JwtDecoder jwtDecoder(ApiProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new VerifiedTokens(decoder(properties.security()), properties.security().verifiedTokens(),
                Clock.systemUTC(), registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    static JwtDecoder decoder(ApiProperties.Security security) {
        String issuer = security.issuerUri();
        boolean production = StringUtils.hasText(security.jwkSetUri()) || StringUtils.hasText(issuer);
        if (production && !StringUtils.hasText(security.audience())) {
            throw new IllegalStateException("ORDERS_JWT_AUDIENCE must be set with ORDERS_JWT_ISSUER_URI or "
                    + "ORDERS_JWT_JWK_SET_URI: this API's name at the issuer, which every token's aud must "
                    + "contain (otherwise any token of the issuer, issued for any service, would be accepted)");
        }
        if (StringUtils.hasText(security.jwtSecret())) {
            byte[] secret = security.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("ORDERS_JWT_SECRET must be at least 32 bytes for HS256 (it has "
                        + secret.length + ")");
            }
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
            decoder.setJwtValidator(validator(security));
            return decoder;
        }
        if (StringUtils.hasText(security.jwkSetUri())) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(security.jwkSetUri()).build();
            decoder.setJwtValidator(validator(security));
            return decoder;
        }
        if (StringUtils.hasText(issuer)) {
            // discovered on first use: the API starts while the issuer is unreachable
            return new SupplierJwtDecoder(() -> {
                NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
                decoder.setJwtValidator(validator(security));
                return decoder;
            });
        }
        throw new IllegalStateException("No way to verify tokens: set ORDERS_JWT_SECRET (HS256, local use), or "
                + "ORDERS_JWT_JWK_SET_URI and/or ORDERS_JWT_ISSUER_URI with ORDERS_JWT_AUDIENCE (production)");
    }

    private static OAuth2TokenValidator<Jwt> validator(ApiProperties.Security security) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(security.clockSkew());
        timestamps.setAllowEmptyExpiryClaim(false);
        validators.add(timestamps);
        if (StringUtils.hasText(security.issuerUri())) {
            validators.add(new JwtIssuerValidator(security.issuerUri()));
        }
        if (StringUtils.hasText(security.audience())) {
            validators.add(new JwtAudienceValidator(security.audience()));
        }
        return JwtValidators.createDefaultWithValidators(validators);
    }

    private static AbstractAuthenticationToken withTenant(Jwt jwt) {
        boolean hasTenant = Tenants.fromClaim(jwt).isPresent();
        return new JwtAuthenticationToken(jwt,
                hasTenant ? List.of(new SimpleGrantedAuthority(TENANT_AUTHORITY)) : List.of());
    }
}
