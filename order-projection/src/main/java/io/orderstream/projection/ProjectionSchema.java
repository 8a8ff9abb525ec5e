package io.orderstream.projection;

/**
 * Where the projection lives: its tables, and the Flyway migrations that make them
 * ({@code db/migration} of this module's jar, applied by the processor at start). Versions 1–5 are
 * those every deployed database has run, byte for byte, so that Flyway validates them; a change is
 * a new migration, V6 and on.
 */
public final class ProjectionSchema {

    /** Flyway's location of the migrations (its default). */
    public static final String MIGRATIONS = "classpath:db/migration";

    /** Current state per order. */
    public static final String ORDERS = "orders";
    /** The events each order was folded from, once each by (tenant, order, sequence). */
    public static final String EVENTS = "order_events";
    /** Per consumer group and partition, the offset of the next event to project. */
    public static final String OFFSETS = "projector_offsets";
    /** The events the projector could not write, by their coordinates in the log. */
    public static final String SET_ASIDE = "projection_set_aside";

    private ProjectionSchema() {
    }
}
