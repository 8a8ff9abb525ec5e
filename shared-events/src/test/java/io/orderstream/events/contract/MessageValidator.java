package io.orderstream.events.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.orderstream.events.MessageHeaders;
import io.orderstream.events.MessageSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks messages against the JSON Schemas (draft 2020-12) that {@code shared-events} publishes
 * among its resources. For tests: of this module, and of others through its test-jar.
 */
public final class MessageValidator {

    private static final JsonMapper RAW = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private MessageValidator() {
    }

    /** The violations of one message against one version of its schema; empty when it is valid. */
    public static List<String> violations(MessageSchema schema, int version, byte[] json) {
        JsonNode message;
        try {
            message = RAW.readTree(json);
        } catch (RuntimeException notJson) {
            return List.of("not JSON: " + notJson.getMessage());
        }
        return schema(schema, version).validate(message).stream().map(Error::toString).toList();
    }

    /**
     * The violations of a record's value against the schema of the version it declares
     * ({@code schemaVersion}), and of its headers (where it has any) against the value.
     */
    public static List<String> recordViolations(MessageSchema schema, byte[] value, Headers headers) {
        List<String> found = new ArrayList<>();
        JsonNode version;
        try {
            version = RAW.readTree(value).path("schemaVersion");
        } catch (RuntimeException notJson) {
            return List.of("not JSON: " + notJson.getMessage());
        }
        if (!version.isIntegralNumber() || version.asInt() < schema.oldestVersion()
                || version.asInt() > schema.currentVersion()) {
            return List.of("schemaVersion " + version + " is not a version of " + schema.schemaName());
        }
        found.addAll(violations(schema, version.asInt(), value));
        if (MessageHeaders.lastString(headers, MessageHeaders.SCHEMA).isPresent()) {
            expect(found, headers, MessageHeaders.SCHEMA, schema.schemaName());
            expect(found, headers, MessageHeaders.SCHEMA_VERSION, Integer.toString(version.asInt()));
            expect(found, headers, MessageHeaders.CONTENT_TYPE, MessageHeaders.JSON);
        }
        return found;
    }

    /**
     * The violations of one version of a schema, as a document, against the JSON Schema 2020-12
     * meta-schema; empty when it is a valid schema.
     */
    public static List<String> schemaViolations(MessageSchema schema, int version) {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));
        try (InputStream in = MessageValidator.class.getClassLoader().getResourceAsStream(schema.resource(version))) {
            if (in == null) {
                throw new IllegalStateException("no schema resource " + schema.resource(version));
            }
            return metaSchema.validate(RAW.readTree(in)).stream().map(Error::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with every violation when the message is not valid. */
    public static void assertValid(MessageSchema schema, int version, byte[] json) {
        List<String> found = violations(schema, version, json);
        if (!found.isEmpty()) {
            throw new AssertionError(schema.schemaName() + " v" + version + " violated by "
                    + new String(json, java.nio.charset.StandardCharsets.UTF_8) + ": " + found);
        }
    }

    /** The parsed JSON Schema of one version, read from the class path once. */
    public static Schema schema(MessageSchema schema, int version) {
        return SCHEMAS.computeIfAbsent(schema.resource(version), resource -> {
            try (InputStream in = MessageValidator.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no schema resource " + resource);
                }
                return REGISTRY.getSchema(RAW.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void expect(List<String> found, Headers headers, String name, String expected) {
        Optional<String> actual = MessageHeaders.lastString(headers, name);
        if (!actual.equals(Optional.of(expected))) {
            found.add("header " + name + " is " + actual.orElse("missing") + ", expected " + expected);
        }
    }
}
