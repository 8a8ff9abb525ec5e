package io.orderstream.events;

/** The schema versions this build writes and reads. A reader refuses a version it does not know. */
public final class SchemaVersions {

    public static final int COMMAND = 1;
    public static final int EVENT = 1;
    public static final int RESULT = 1;

    private SchemaVersions() {
    }
}
