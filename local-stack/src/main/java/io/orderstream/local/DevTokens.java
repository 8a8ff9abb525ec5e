package io.orderstream.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens for local use and tests, signed with the same secret the API verifies with. */
public final class DevTokens {

    private DevTokens() {
    }

    public static String mint(String secret, String tenant, Duration validFor) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("dev-user@" + tenant)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(validFor)));
        if (tenant != null) {
            claims.claim("tenant", tenant);
        }
        return sign(secret, claims.build());
    }

    public static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign a token: " + e.getMessage(), e);
        }
    }
}
