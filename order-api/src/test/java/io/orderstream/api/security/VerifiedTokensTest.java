package io.orderstream.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    /** Verifies "good-*" tokens (valid 60 s from NOW), refuses any other. */
    private final JwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        if (!token.startsWith("good")) {
            throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token).header("alg", "HS256").claim("tenant", "acme").issuedAt(NOW)
                .expiresAt(NOW.plusSeconds(60)).build();
    };

    @Test
    void aTokenSentAgain_isVerifiedOnce_untilItsExp_thenAgain() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 100, clock, new SimpleMeterRegistry());

        assertThat(tokens.decode("good-1").getClaimAsString("tenant")).isEqualTo("acme");
        now.set(NOW.plusSeconds(59));
        tokens.decode("good-1");
        assertThat(verifications).hasValue(1);

        now.set(NOW.plusSeconds(60)); // at exp: never answered from memory
        tokens.decode("good-1");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRefusedToken_isRefusedEveryTime_andNeverRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 100, clock, new SimpleMeterRegistry());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        }
        assertThat(verifications).hasValue(3);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void theCache_neverHoldsMoreThanItsBound() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 10, clock, new SimpleMeterRegistry());
        for (int i = 0; i < 1_000; i++) {
            tokens.decode("good-" + i);
            assertThat(tokens.size()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void boundZero_verifiesEveryRequest() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 0, clock, new SimpleMeterRegistry());
        tokens.decode("good-1");
        tokens.decode("good-1");
        assertThat(verifications).hasValue(2);
    }
}
