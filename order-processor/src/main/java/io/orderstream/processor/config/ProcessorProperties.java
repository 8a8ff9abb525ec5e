package io.orderstream.processor.config;

import io.orderstream.idempotency.IdempotencyPolicy;
import io.orderstream.processor.orders.CommandTracing;
import io.orderstream.processor.orders.ProcessorMetrics;
import io.orderstream.processor.orders.TopologySettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The processor's own settings ({@code orders.*} in {@code order-processor.yml}).
 *
 * @param topics      how topics are created when missing
 * @param idempotency how idempotency keys are kept
 */
@ConfigurationProperties("orders")
public record ProcessorProperties(@DefaultValue Topics topics, @DefaultValue Idempotency idempotency,
        @DefaultValue Metrics metrics) {

    /**
     * @param partitions        partitions of every topic (all keyed tenant/orderId)
     * @param replicationFactor replicas per partition; 0 leaves it to the broker's default
     */
    public record Topics(@DefaultValue("6") int partitions, @DefaultValue("0") short replicationFactor) {
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
    public record Idempotency(@DefaultValue("24h") Duration ttl, @DefaultValue("1m") Duration purgeInterval,
            @DefaultValue("1000") int purgeBatch, @DefaultValue("50ms") Duration purgeBudget,
            @DefaultValue("persistent") String store,
            @DefaultValue("1KB") DataSize compressAbove, @DefaultValue("256KB") DataSize maxResponseSize,
            @DefaultValue("1m") Duration maxClockSkew) {

        public Idempotency {
            if (!store.equals("persistent") && !store.equals("in-memory")) {
                throw new IllegalArgumentException("orders.idempotency.store must be 'persistent' or 'in-memory', was '"
                        + store + "'");
            }
            if (maxClockSkew.isNegative()) {
                throw new IllegalArgumentException("orders.idempotency.max-clock-skew must not be negative, was "
                        + maxClockSkew);
            }
        }
    }

    /**
     * @param tenants       tenants that get their own {@code tenant} tag; empty: the first
     *                      {@code maxTenantTags} seen
     * @param maxTenantTags bound on distinct tenant tags; the rest are {@code other}
     */
    public record Metrics(@DefaultValue List<String> tenants, @DefaultValue("50") int maxTenantTags) {
    }

    public TopologySettings topologySettings(ProcessorMetrics metrics, CommandTracing tracing) {
        return new TopologySettings(new IdempotencyPolicy(idempotency.ttl(),
                Math.toIntExact(idempotency.compressAbove().toBytes()),
                Math.toIntExact(idempotency.maxResponseSize().toBytes())), idempotency.purgeInterval(),
                idempotency.purgeBatch(), idempotency.purgeBudget(), idempotency.store().equals("persistent"),
                idempotency.maxClockSkew(), metrics, tracing);
    }
}
