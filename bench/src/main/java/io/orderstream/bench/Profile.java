package io.orderstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a service's time went, from its Flight Recorder file, in the JDK's own words: {@code jfr
 * view} (JDK 21 and later: hot methods, CPU load by thread, GC pauses, allocation) when a JDK
 * that has it is found, the service's JDK first, then any under {@code /usr/lib/jvm}; JDK 17's
 * {@code jfr} only has {@code summary} (events by type), which is then what the report shows.
 */
final class Profile {

    /** The views of {@code jfr view} in the report, in this order. */
    static final List<String> VIEWS = List.of("hot-methods", "thread-cpu-load", "gc-pauses", "allocation-by-class");

    private Profile() {
    }

    /** The Markdown section for one recording. */
    static String summary(Path recording, Path serviceJdk) {
        Optional<Path> withViews = jfrWithViews(serviceJdk);
        StringBuilder out = new StringBuilder(LibraryShare.table(recording));
        if (withViews.isPresent()) {
            out.append("From `").append(withViews.get()).append(" view`:\n\n");
            for (String view : VIEWS) {
                out.append("```\n").append(run(withViews.get(), recording, "view", "--width", "140", view).strip())
                        .append("\n```\n\n");
            }
        } else {
            Path jfr = Child.tool(serviceJdk, "jfr");
            out.append("No JDK with `jfr view` (JDK 21+) found; `").append(jfr).append(" summary`:\n\n```\n")
                    .append(run(jfr, recording, "summary").strip()).append("\n```\n\n");
        }
        return out.toString();
    }

    private static Optional<Path> jfrWithViews(Path serviceJdk) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Child.tool(serviceJdk, "jfr"));
        try (DirectoryStream<Path> jdks = Files.newDirectoryStream(Path.of("/usr/lib/jvm"))) {
            jdks.forEach(jdk -> candidates.add(jdk.resolve("bin").resolve("jfr")));
        } catch (IOException e) {
            // no such directory: the service's JDK only
        }
        return candidates.stream().filter(Files::isExecutable).filter(Profile::hasViews).findFirst();
    }

    private static boolean hasViews(Path jfr) {
        return Tools.run(List.of(jfr.toString(), "help", "view"), Map.of(), tempFile(), Duration.ofSeconds(30))
                .exitCode() == 0;
    }

    private static String run(Path jfr, Path recording, String... command) {
        List<String> line = new ArrayList<>(List.of(jfr.toString()));
        line.addAll(List.of(command));
        line.add(recording.toString());
        Tools.Run run = Tools.run(line, Map.of(), tempFile(), Duration.ofMinutes(2));
        return run.exitCode() == 0 ? run.output() : "(jfr exit " + run.exitCode() + ") " + Tools.tail(run.output(), 3);
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("bench-jfr-", ".txt");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
