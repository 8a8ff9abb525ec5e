package io.orderstream.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The API's own settings ({@code orders.*} in {@code order-api.yml}). */
@ConfigurationProperties("orders")
public record ApiProperties(@DefaultValue Api api, @DefaultValue Topics topics, @DefaultValue Security security) {

    /**
     * @param resultTimeout how long a command request waits for its result before answering 202
     * @param maxBodyBytes  largest request body accepted (413 above)
     */
    public record Api(@DefaultValue("5s") Duration resultTimeout, @DefaultValue("65536") int maxBodyBytes) {
    }

    /**
     * @param partitions        partitions of every topic, when the API creates them
     * @param replicationFactor replicas per partition; 0 leaves it to the broker's default
     */
    public record Topics(@DefaultValue("6") int partitions, @DefaultValue("0") short replicationFactor) {
    }

    /**
     * @param jwtSecret HS256 secret (raw string, at least 32 bytes) for local use and tests; leave
     *                  empty to validate tokens with {@code spring.security.oauth2.resourceserver.jwt.*}
     *                  (issuer or JWK set) instead
     */
    public record Security(String jwtSecret) {
    }
}
