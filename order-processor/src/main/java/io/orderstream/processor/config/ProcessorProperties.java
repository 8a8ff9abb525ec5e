package io.orderstream.processor.config;

import io.orderstream.events.ProcessorDefaults;
import io.orderstream.events.TopicDefinitions;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The processor's own settings ({@code orders.*} in {@code order-processor.yml}), each with its one
 * default here: the file only maps environment variables ({@code ${ORDERS_…:}}), and a variable unset
 * or empty leaves the default. Numbers are boxed for that reason: an empty variable binds as null,
 * which takes the default, where a primitive would refuse it.
 *
 * @param topics      how topics are created when missing
 * @param idempotency how idempotency keys are kept
 */
@ConfigurationProperties("orders")
public record ProcessorProperties(@DefaultValue Topics topics, @DefaultValue Idempotency idempotency,
        @DefaultValue Metrics metrics, @DefaultValue Commits commits) {

    /**
     * @param requestSpacing a command asks Kafka Streams to commit at once when no command asked
     *                       for this long (a lone command is answered without waiting for
     *                       {@code commit.interval.ms}; under load, at most one requested commit per
     *                       spacing); 0 commits at the interval only. See "Latency" in the README.
     */
    public record Commits(@DefaultValue("0ms") Duration requestSpacing) {

        public Commits {
            if (requestSpacing.isNegative()) {
                throw new IllegalArgumentException("orders.commits.request-spacing must not be negative, was "
                        + requestSpacing);
            }
        }
    }

    /**
     * @param partitions        partitions of every topic (all keyed tenant/orderId)
     * @param replicationFactor replicas per partition; 0 leaves it to the broker's default
     */
    public record Topics(@DefaultValue(TopicDefinitions.DEFAULT_PARTITIONS) Integer partitions,
            @DefaultValue(TopicDefinitions.DEFAULT_REPLICATION_FACTOR) Short replicationFactor) {
    }

    /**
     * @param ttl           how long a key is remembered (default 24 h)
     * @param purgeInterval how often expired keys are removed
     * @param purgeBatch    expired keys removed per step of a periodic purge
     * @param purgeBudget   how long a periodic purge may run per task (new keys also purge expired
     *                      ones as they are stored, so the purge keeps up with any rate)
     * @param store         {@code persistent} (RocksDB) or {@code in-memory}; both changelogged
     * @param compressAbove stored response bodies above this size are compressed
     * @param maxResponseSize the largest response the store keeps; a larger one fails the command
     * @param maxClockSkew  how far a command's {@code occurredAt} may lie ahead of the processor's
     *                      clock; further ahead, it is answered expired like a command older than
     *                      the TTL
     */
    public record Idempotency(@DefaultValue(ProcessorDefaults.IDEMPOTENCY_TTL) Duration ttl, @DefaultValue("1m") Duration purgeInterval,
            @DefaultValue("1000") int purgeBatch, @DefaultValue("50ms") Duration purgeBudget,
            @DefaultValue("persistent") Store store,
            @DefaultValue("1KB") DataSize compressAbove, @DefaultValue("256KB") DataSize maxResponseSize,
            @DefaultValue("1m") Duration maxClockSkew) {

        public Idempotency {
            if (maxClockSkew.isNegative()) {
                throw new IllegalArgumentException("orders.idempotency.max-clock-skew must not be negative, was "
                        + maxClockSkew);
            }
        }
    }

    /** Where the stores keep their state; both are changelogged. */
    public enum Store {
        /** RocksDB on local disk ({@code persistent}). */
        PERSISTENT,
        /** The heap ({@code in-memory}): restored from the changelog at every start. */
        IN_MEMORY
    }

    /**
     * @param tenants       tenants that get their own {@code tenant} tag; empty: the first
     *                      {@code maxTenantTags} seen
     * @param maxTenantTags bound on distinct tenant tags; the rest are {@code other}
     */
    public record Metrics(@DefaultValue List<String> tenants, @DefaultValue("50") Integer maxTenantTags) {
    }
}
