package io.orderstream.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How every topic is created, in one place for both services. Replication comes from the broker's
 * {@code default.replication.factor} unless given: 1 on a local broker, 3 on a production cluster.
 */
public final class TopicDefinitions {

    /**
     * Partitions of every topic unless configured ({@code ORDERS_TOPIC_PARTITIONS}): the one default of
     * both services' {@code orders.topics.partitions}, as a constant their properties records name.
     */
    public static final String DEFAULT_PARTITIONS = "6";
    /** Replicas of every topic unless configured ({@code ORDERS_TOPIC_REPLICATION_FACTOR}): the broker's default. */
    public static final String DEFAULT_REPLICATION_FACTOR = "0";

    private static final String DAYS_7 = Long.toString(7L * 24 * 60 * 60 * 1000);
    private static final String DAY_1 = Long.toString(24L * 60 * 60 * 1000);

    private TopicDefinitions() {
    }

    /**
     * @param replicationFactor replicas per partition; 0 or less leaves it to the broker's default
     */
    public static List<NewTopic> all(int partitions, short replicationFactor) {
        Optional<Short> replicas = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
        return List.of(
                topic(Topics.COMMANDS, partitions, replicas, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, DAYS_7)),
                // the event log: never compacted, never expired
                topic(Topics.EVENTS, partitions, replicas, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.RETENTION_BYTES_CONFIG, "-1")),
                // results are read by waiting API requests only; a day covers any retry
                topic(Topics.COMMAND_RESULTS, partitions, replicas, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, DAY_1)),
                // parked commands stay until an operator deals with them
                topic(Topics.COMMANDS_DLQ, partitions, replicas, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1")));
    }

    /**
     * The redrive ledger ({@link Topics#DLQ_REDRIVEN}): one partition (a few records per parked
     * command, read whole), compacted, never deleted by time or size.
     *
     * @param replicationFactor replicas per partition; 0 or less leaves it to the broker's default
     */
    public static NewTopic redriveLedger(short replicationFactor) {
        return topic(Topics.DLQ_REDRIVEN, 1, replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
    }

    private static NewTopic topic(Topic<?, ?> topic, int partitions, Optional<Short> replicationFactor,
            Map<String, String> configs) {
        return new NewTopic(topic.name(), Optional.of(partitions), replicationFactor).configs(configs);
    }
}
