package io.orderstream.api.security;

import io.orderstream.events.OrderKey;
import java.util.Optional;
import org.springframework.security.oauth2.jwt.Jwt;

/** The caller's tenant, from the verified token only. */
public final class Tenants {

    public static final String CLAIM = "tenant";

    private Tenants() {
    }

    static Optional<String> fromClaim(Jwt jwt) {
        Object claim = jwt.getClaims().get(CLAIM);
        if (claim instanceof String tenant && OrderKey.isValidTenantId(tenant)) {
            return Optional.of(tenant);
        }
        return Optional.empty();
    }

    /** For handlers behind the filter chain, which admits only tokens with a valid tenant. */
    public static String of(Jwt jwt) {
        return fromClaim(jwt).orElseThrow(() -> new IllegalStateException("request without tenant passed security"));
    }
}
