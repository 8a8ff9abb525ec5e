package io.orderstream.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The JSON message schemas of the topics: the name written in the {@code schema} header, the
 * versions in use, and where each version's JSON Schema lies among this module's resources
 * ({@code schemas/<topic>/<file>-v<version>.json}).
 */
public enum MessageSchema {

    COMMAND("orders.command", Topics.COMMANDS.name(), "command", 1, SchemaVersions.COMMAND),
    EVENT("orders.event", Topics.EVENTS.name(), "event", SchemaVersions.EVENT_OLDEST, SchemaVersions.EVENT),
    RESULT("orders.command-result", Topics.COMMAND_RESULTS.name(), "result", 1, SchemaVersions.RESULT);

    private final String schemaName;
    private final String topic;
    private final String file;
    private final int oldestVersion;
    private final int currentVersion;

    MessageSchema(String schemaName, String topic, String file, int oldestVersion, int currentVersion) {
        this.schemaName = schemaName;
        this.topic = topic;
        this.file = file;
        this.oldestVersion = oldestVersion;
        this.currentVersion = currentVersion;
    }

    /** The value of the {@code schema} header. */
    public String schemaName() {
        return schemaName;
    }

    public String topic() {
        return topic;
    }

    /** The version this build writes. */
    public int currentVersion() {
        return currentVersion;
    }

    /** The oldest version this build reads. */
    public int oldestVersion() {
        return oldestVersion;
    }

    /** The class-path resource of the JSON Schema of one version. */
    public String resource(int version) {
        if (version < oldestVersion || version > currentVersion) {
            throw new IllegalArgumentException(schemaName + " has no schema version " + version);
        }
        return "schemas/" + topic + "/" + file + "-v" + version + ".json";
    }

    public static Optional<MessageSchema> forTopic(String topic) {
        return Arrays.stream(values()).filter(schema -> schema.topic.equals(topic)).findFirst();
    }
}
