package io.orderstream.api.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens it has verified, so that a storefront sending the same token with every request
 * has it verified (signature, {@code exp}, {@code iss}, {@code aud}) once, not on every request:
 * a full verification creates a {@code Mac} (or verifies an RSA signature) each time.
 *
 * <p>A token is looked up by its exact text (a map key compared in full, so no two tokens can
 * share an entry) and is answered from here only until its own {@code exp}: never past it, so an
 * expired token is refused exactly as before (the decoder, which allows the clock skew, is asked
 * again and refuses it). Refused tokens are never remembered. At most {@code maxEntries} tokens are
 * kept; when full, expired ones are dropped, and if none has expired the whole map is emptied (a
 * token then simply costs one verification again). Metrics: {@code orders.api.tokens.verified}
 * ({@code result} = hit or miss), {@code orders.api.tokens.evictions}, {@code orders.api.tokens.size}.
 * Tokens are never logged.
 */
final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder decoder;
    private final int maxEntries;
    private final Clock clock;
    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;

    VerifiedTokens(JwtDecoder decoder, int maxEntries, Clock clock, MeterRegistry registry) {
        this.decoder = decoder;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.hits = Counter.builder("orders.api.tokens.verified").tag("result", "hit")
                .description("bearer tokens answered from the verified-token cache (hit) or verified (miss)")
                .register(registry);
        this.misses = Counter.builder("orders.api.tokens.verified").tag("result", "miss")
                .description("bearer tokens answered from the verified-token cache (hit) or verified (miss)")
                .register(registry);
        this.evictions = Counter.builder("orders.api.tokens.evictions")
                .description("verified tokens dropped from the cache (expired, or the cache was full)")
                .register(registry);
        Gauge.builder("orders.api.tokens.size", verified, ConcurrentHashMap::size)
                .description("verified tokens held").register(registry);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt known = maxEntries > 0 ? verified.get(token) : null;
        if (known != null) {
            if (now.isBefore(known.getExpiresAt())) {
                hits.increment();
                return known;
            }
            if (verified.remove(token, known)) {
                evictions.increment();
            }
        }
        misses.increment();
        Jwt jwt = decoder.decode(token);
        // every decoder here requires exp; a token without one is not remembered all the same
        if (maxEntries > 0 && jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            if (verified.size() >= maxEntries) {
                makeRoom(now);
            }
            verified.put(token, jwt);
        }
        return jwt;
    }

    private void makeRoom(Instant now) {
        int before = verified.size();
        verified.values().removeIf(jwt -> !now.isBefore(jwt.getExpiresAt()));
        if (verified.size() >= maxEntries) {
            verified.clear();
        }
        evictions.increment(Math.max(0, before - verified.size()));
    }

    int size() {
        return verified.size();
    }
}
