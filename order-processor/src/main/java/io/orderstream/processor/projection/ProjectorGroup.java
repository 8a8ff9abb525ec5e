package io.orderstream.processor.projection;

import java.util.Objects;

/**
 * The projector's consumer group: the group its listener joins and the key of its positions in
 * {@code projector_offsets} (which {@code orders-ops} reads by the same name).
 *
 * @param id the group id
 */
record ProjectorGroup(String id) {

    ProjectorGroup {
        Objects.requireNonNull(id, "spring.kafka.consumer.group-id (ORDERS_PROJECTOR_GROUP) must be set");
    }
}
