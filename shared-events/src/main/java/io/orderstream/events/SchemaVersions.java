package io.orderstream.events;

/**
 * The schema versions this build writes, and the oldest it still reads. A reader refuses a version
 * it does not know; an older event is upcast to the newest on reading ({@link EventUpcaster}).
 */
public final class SchemaVersions {

    public static final int COMMAND = 1;
    /** Version 2: {@code OrderStatusChanged} carries {@code actor}. */
    public static final int EVENT = 2;
    /** The oldest event version still read (and upcast). Never raised: events are kept forever. */
    public static final int EVENT_OLDEST = 1;
    public static final int RESULT = 1;

    private SchemaVersions() {
    }
}
