package io.orderstream.api.config;

import io.orderstream.events.TopicDefinitions;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The API's own settings ({@code orders.*} in {@code order-api.yml}), each with its one default here:
 * the file only maps environment variables ({@code ${ORDERS_…:}}), and a variable unset or empty
 * leaves the default. Numbers are boxed for that reason: an empty variable binds as null, which takes
 * the default, where a primitive would refuse it.
 */
@ConfigurationProperties("orders")
public record ApiProperties(@DefaultValue Api api, @DefaultValue Topics topics, @DefaultValue Security security) {

    /**
     * @param resultTimeout how long a command request waits for its result before answering 202
     * @param maxBodyBytes  largest request body accepted (413 above)
     * @param cors          which browser origins may call the API
     * @param maxWaitingCommands commands that may wait for their results at once; more get 503
     *                      with {@code Retry-After} at once, before anything is sent
     * @param results       how the reader of command results recovers
     * @param maxCommandsInFlight commands (POST, PUT) the API handles at once, from the moment they
     *                      arrive until they are answered; more are refused at the edge with 503 and
     *                      {@code Retry-After}, before their token or body is looked at
     * @param answerCache   the near cache of stored answers, which answers duplicates itself
     */
    public record Api(@DefaultValue("5s") Duration resultTimeout, @DefaultValue("65536") Integer maxBodyBytes,
            @DefaultValue Cors cors, @DefaultValue("1000") Integer maxWaitingCommands, @DefaultValue Results results,
            @DefaultValue("256") Integer maxCommandsInFlight, @DefaultValue AnswerCache answerCache) {
    }

    /**
     * What every instance keeps of the committed results it reads, to answer a duplicate of a
     * completed request itself (the same status and body, or the 422 of a different request under
     * the key) until the key's expiry; anything it does not know goes to the processor.
     *
     * @param enabled  false: every duplicate goes to the processor
     * @param maxBytes the most the cache holds, counted as the stored answers' bytes plus their keys
     *                 and a fixed allowance per entry; the oldest entries go first beyond it
     */
    public record AnswerCache(@DefaultValue("true") Boolean enabled, @DefaultValue("32MB") DataSize maxBytes) {
    }

    /**
     * The reader of {@code orders.command-results.v1}: it never ends while the API runs. After a
     * failure it re-creates its consumer, resumes where it was, and waits between attempts from
     * 100 ms doubling up to {@code maxBackoff}; health shows {@code results} DOWN meanwhile.
     *
     * @param maxBackoff       the longest wait between two attempts
     * @param unreachableAfter a broker that has not answered the reader for this long makes it
     *                         fail (health DOWN) and start again
     */
    public record Results(@DefaultValue("10s") Duration maxBackoff, @DefaultValue("10s") Duration unreachableAfter) {
    }

    /**
     * Cross-origin resource sharing. No origin is allowed unless configured. {@code Idempotency-Key}
     * is always an allowed header, and {@code Idempotent-Replayed} and {@code Location} are always
     * exposed, whatever the lists say: a storefront cannot use the API without them.
     *
     * @param allowedOrigins origins, or patterns such as {@code https://*.example.com}; empty: none
     * @param allowedMethods methods a cross-origin request may use
     * @param allowedHeaders request headers a cross-origin request may send
     * @param exposedHeaders response headers a browser script may read
     * @param maxAge         how long a browser may cache a preflight answer
     */
    public record Cors(@DefaultValue List<String> allowedOrigins, List<String> allowedMethods,
            List<String> allowedHeaders, List<String> exposedHeaders, @DefaultValue("1h") Duration maxAge) {

        /**
         * The defaults of the three lists that have one. An empty variable binds an empty list, which
         * {@code @DefaultValue} would not replace; a policy without methods or headers would refuse
         * every browser, so none or an empty list means the default.
         */
        public Cors {
            allowedMethods = orDefault(allowedMethods, List.of("GET", "POST", "PUT", "OPTIONS"));
            allowedHeaders = orDefault(allowedHeaders,
                    List.of("Authorization", "Content-Type", "Idempotency-Key", "traceparent"));
            exposedHeaders = orDefault(exposedHeaders, List.of("Idempotent-Replayed", "Location", "Retry-After"));
        }

        private static List<String> orDefault(List<String> configured, List<String> defaults) {
            return configured == null || configured.isEmpty() ? defaults : configured;
        }
    }

    /**
     * @param partitions        partitions of every topic, when the API creates them
     * @param replicationFactor replicas per partition; 0 leaves it to the broker's default
     */
    public record Topics(@DefaultValue(TopicDefinitions.DEFAULT_PARTITIONS) Integer partitions,
            @DefaultValue(TopicDefinitions.DEFAULT_REPLICATION_FACTOR) Short replicationFactor) {
    }

    /**
     * How tokens are verified: the first of the key sources that is set.
     *
     * @param jwtSecret HS256 secret (raw string, at least 32 bytes) for local use and tests
     * @param jwkSetUri the issuer's public keys (production)
     * @param issuerUri the issuer: its {@code iss} is then required; without a JWK set URI, its keys
     *                  are discovered from its metadata on first use
     * @param audience  this API's name at the issuer: a token's {@code aud} must contain it. Required
     *                  with an issuer or a JWK set URI (the issuer's tokens for other services are not
     *                  for this one); optional with the shared secret
     * @param clockSkew how far the clocks of the issuer and this API may disagree: a token is still
     *                  accepted up to this long after its {@code exp} (and this long before its
     *                  {@code nbf}); kept small, since an expired token is meant to be refused
     * @param verifiedTokens how many verified tokens are remembered (each until its own {@code exp},
     *                  never longer), so that a token sent with every request is verified once; 0
     *                  verifies every request's token
     */
    public record Security(String jwtSecret, String jwkSetUri, String issuerUri, String audience,
            @DefaultValue("5s") Duration clockSkew, @DefaultValue("10000") Integer verifiedTokens) {
    }
}
