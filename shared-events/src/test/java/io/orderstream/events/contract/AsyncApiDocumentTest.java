package io.orderstream.events.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.MessageSchema;
import io.orderstream.events.Topic;
import io.orderstream.events.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docs/asyncapi.yaml describes the real topics and points at schemas that exist. */
class AsyncApiDocumentTest {

    private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
    private static Map<String, Object> document;
    private static final List<String> REFS = new ArrayList<>();

    @BeforeAll
    static void parse() throws IOException {
        try (InputStream in = Files.newInputStream(DOCS.resolve("asyncapi.yaml"))) {
            document = new Yaml().load(in);
        }
        collectRefs(document);
    }

    @Test
    void isAnAsyncApi3Document_ofTheFourTopics() {
        assertThat(String.valueOf(document.get("asyncapi"))).startsWith("3.");
        Map<String, Object> channels = map(document.get("channels"));
        Set<String> addresses = channels.values().stream().map(channel -> String.valueOf(map(channel).get("address")))
                .collect(Collectors.toSet());
        assertThat(addresses).isEqualTo(Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet()));
    }

    @Test
    void everyInternalReference_resolves() {
        List<String> internal = REFS.stream().filter(ref -> ref.startsWith("#/")).toList();

        assertThat(internal).isNotEmpty();
        for (String ref : internal) {
            Object node = document;
            for (String part : ref.substring(2).split("/")) {
                node = node instanceof Map<?, ?> map ? map.get(part.replace("~1", "/").replace("~0", "~")) : null;
            }
            assertThat(node).as(ref).isNotNull();
        }
    }

    @Test
    void everySchemaItReferences_exists_andIsOneOfThePublishedSchemas() {
        List<String> external = REFS.stream().filter(ref -> !ref.startsWith("#")).toList();
        Set<String> published = java.util.Arrays.stream(MessageSchema.values())
                .flatMap(schema -> IntStream.rangeClosed(schema.oldestVersion(), schema.currentVersion())
                        .mapToObj(schema::resource))
                .collect(Collectors.toSet());

        assertThat(external).isNotEmpty();
        Set<String> referenced = external.stream().map(ref -> {
            Path file = DOCS.resolve(ref).normalize();
            assertThat(file).as(ref).isRegularFile();
            String resource = file.toString().replace('\\', '/').replaceFirst(".*/src/main/resources/", "");
            assertThat(published).as(ref).contains(resource);
            return resource;
        }).collect(Collectors.toSet());
        assertThat(referenced).as("every version of every schema is documented").isEqualTo(published);
    }

    private static void collectRefs(Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key)) {
                    REFS.add(String.valueOf(value));
                } else {
                    collectRefs(value);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(AsyncApiDocumentTest::collectRefs);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }
}
