package io.orderstream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A service's CPU samples by library, from its Flight Recorder file: each {@code jdk.ExecutionSample}
 * counts for the library of its leaf-most frame outside the JDK (JDK code counts for whoever called
 * it), so the shares add up to the whole and say what each library itself costs, tracing included.
 * {@code jfr view} has no such view; this is the one figure the report computes from the samples.
 */
final class LibraryShare {

    /** Report labels and the package prefixes that make them, first match wins. */
    static final Map<String, List<String>> LIBRARIES = libraries();
    static final String TRACING = "tracing (Micrometer Tracing, OpenTelemetry, Order Stream's own)";
    /** The instrumentation the metrics and the spans of a request both hang on: there without tracing too. */
    static final String OBSERVATION = "observation (Micrometer Observation, under metrics and tracing)";
    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private LibraryShare() {
    }

    private static Map<String, List<String>> libraries() {
        Map<String, List<String>> libraries = new LinkedHashMap<>();
        libraries.put(TRACING, List.of("io.micrometer.tracing.", "io.opentelemetry.",
                "org.springframework.boot.micrometer.tracing.", "io.orderstream.api.tracing.",
                "io.orderstream.processor.tracing."));
        libraries.put(OBSERVATION, List.of("io.micrometer.observation."));
        libraries.put("Order Stream", List.of("io.orderstream."));
        libraries.put("metrics (Micrometer)", List.of("io.micrometer."));
        libraries.put("Kafka Streams", List.of("org.apache.kafka.streams."));
        libraries.put("Kafka clients", List.of("org.apache.kafka."));
        libraries.put("RocksDB", List.of("org.rocksdb."));
        libraries.put("Jackson", List.of("tools.jackson.", "com.fasterxml.jackson."));
        libraries.put("PostgreSQL JDBC, Hikari", List.of("org.postgresql.", "com.zaxxer.hikari."));
        libraries.put("Tomcat, Servlet API", List.of("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.",
                "jakarta.servlet."));
        libraries.put("Spring Security", List.of("org.springframework.security."));
        libraries.put("Spring (MVC, Kafka, core, Boot)", List.of("org.springframework."));
        libraries.put("Nimbus JOSE (JWT)", List.of("com.nimbusds."));
        libraries.put("logging (Logback, SLF4J)", List.of("ch.qos.logback.", "org.slf4j."));
        return libraries;
    }

    /** The label of one sample, from its frames, leaf first (class names with dots). */
    static String of(List<String> classesLeafFirst) {
        for (String type : classesLeafFirst) {
            if (JDK.stream().anyMatch(type::startsWith)) {
                continue;
            }
            return LIBRARIES.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(type::startsWith))
                    .map(Map.Entry::getKey).findFirst().orElse("other libraries");
        }
        return classesLeafFirst.isEmpty() ? "no stack" : "the JDK alone (GC, JIT excluded: no Java frames)";
    }

    /** Samples per label, most first, with the total under the key {@code ""}. */
    static Map<String, Long> read(Path recording) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                total++;
                List<String> classes = event.getStackTrace().getFrames().stream().filter(RecordedFrame::isJavaFrame)
                        .map(frame -> frame.getMethod().getType().getName()).toList();
                counts.merge(of(classes), 1L, Long::sum);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        sorted.put("", total);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The Markdown table for one recording, or a line saying why there is none. */
    static String table(Path recording) {
        Map<String, Long> counts;
        try {
            counts = read(recording);
        } catch (IOException | RuntimeException e) {
            return "(CPU samples by library: the recording could not be read: " + e + ")\n\n";
        }
        long total = counts.get("");
        StringBuilder out = new StringBuilder("CPU samples by library (each sample counts for the library of its "
                + "leaf-most frame outside the JDK), of ").append(total).append(" samples:\n\n")
                .append("| library | samples | share |\n|---|---:|---:|\n");
        counts.forEach((label, n) -> {
            if (!label.isEmpty()) {
                out.append("| ").append(label).append(" | ").append(n).append(" | ")
                        .append(String.format("%.1f %%", 100.0 * n / Math.max(1, total))).append(" |\n");
            }
        });
        return out.append('\n').toString();
    }
}
