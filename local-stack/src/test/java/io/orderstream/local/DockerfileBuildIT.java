package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker compose up --build} without Docker: the Dockerfile's build stage, step by step, on
 * exactly the files it copies from the build context (after {@code .dockerignore}), for each
 * {@code MODULE} that docker-compose.yml builds. Its Maven step runs as written, offline against the
 * local repository (the surrounding build has fetched what it needs), and must leave the jar that
 * the next step copies into the image.
 */
class DockerfileBuildIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void dockerfileBuildStage_buildsEachServiceJar_fromExactlyTheFilesItCopies() throws Exception {
        Stage stage = Stage.parse(Files.readAllLines(ROOT.resolve("Dockerfile")));
        List<String> modules = composeModules();
        assertThat(modules).containsExactlyInAnyOrder("order-processor", "order-api");
        List<String> ignored = dockerignore();

        Path context = Files.createTempDirectory("order-stream-docker-context-");
        try {
            build(stage, modules, ignored, context);
        } finally {
            try (Stream<Path> left = Files.walk(context)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void build(Stage stage, List<String> modules, List<String> ignored, Path context)
            throws IOException, InterruptedException {
        Path workdir = context.resolve(stage.workdir.substring(1));
        Files.createDirectories(workdir);
        for (String[] copy : stage.copies) {
            copy(ROOT.resolve(copy[0]), copy[0], workdir.resolve(copy[1]), copy[1].equals(".")
                    || copy[1].endsWith("/"), ignored);
        }
        // only what the COPY lines name: no target/, no .git, no module the Dockerfile leaves out
        try (Stream<Path> files = Files.walk(workdir)) {
            assertThat(files.map(workdir::relativize).map(Path::toString))
                    .noneMatch(path -> path.contains("target/") || path.startsWith(".git") || path.startsWith(".local"));
        }

        for (String module : modules) {
            List<String> command = new ArrayList<>();
            for (String word : stage.maven) {
                command.add(word.replace("${MODULE}", module));
            }
            command.add(1, "-o");
            Process maven = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true).start();
            String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(maven.waitFor(5, TimeUnit.MINUTES)).as("Maven finished").isTrue();
            assertThat(maven.exitValue()).as(String.join(" ", command) + " failed:\n" + output).isZero();

            // the step after Maven: cp ${MODULE}/target/${MODULE}-*-exec.jar /app.jar
            PathMatcher jar = FileSystems.getDefault().getPathMatcher("glob:" + stage.jar.replace("${MODULE}", module));
            try (Stream<Path> built = Files.walk(workdir.resolve(module).resolve("target"), 1)) {
                assertThat(built.map(workdir::relativize).filter(jar::matches).toList()).as(module + "'s exec jar")
                        .hasSize(1);
            }
        }
    }

    /** The build stage: WORKDIR, COPY lines from the context, the Maven command and the jar it copies. */
    private record Stage(String workdir, List<String[]> copies, List<String> maven, String jar) {

        static Stage parse(List<String> dockerfile) {
            String workdir = "/";
            List<String[]> copies = new ArrayList<>();
            List<String> maven = null;
            String jar = null;
            List<String> instructions = joinContinuations(dockerfile);
            int froms = 0;
            for (String instruction : instructions) {
                String[] words = instruction.trim().split("\\s+");
                String keyword = words[0].toUpperCase();
                if (keyword.equals("FROM") && ++froms > 1) {
                    break; // the runtime stage copies from the build stage, not from the context
                }
                switch (keyword) {
                    case "WORKDIR" -> workdir = words[1];
                    case "COPY", "ADD" -> {
                        assertThat(words).as("COPY src dest: " + instruction).hasSize(3);
                        copies.add(new String[] {words[1], words[2]});
                    }
                    case "RUN" -> {
                        String run = instruction.trim().substring(3).trim();
                        String[] steps = run.split("&&");
                        maven = List.of(steps[0].trim().split("\\s+"));
                        String[] cp = steps[1].trim().split("\\s+");
                        assertThat(cp[0]).isEqualTo("cp");
                        jar = cp[1];
                    }
                    default -> {
                    }
                }
            }
            assertThat(maven).as("a RUN mvn ... && cp JAR /app.jar in the build stage").isNotNull();
            assertThat(maven.get(0)).isEqualTo("mvn");
            assertThat(workdir).startsWith("/");
            return new Stage(workdir, copies, maven, jar);
        }

        private static List<String> joinContinuations(List<String> lines) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : lines) {
                if (line.isBlank() || line.trim().startsWith("#")) {
                    continue;
                }
                boolean continues = line.endsWith("\\");
                current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
                if (!continues) {
                    instructions.add(current.toString());
                    current.setLength(0);
                }
            }
            return instructions;
        }
    }

    /** Copies a file or a tree as Docker does, leaving out what .dockerignore excludes. */
    private static void copy(Path source, String contextPath, Path target, boolean intoDirectory, List<String> ignored)
            throws IOException {
        assertThat(source).as("COPY " + contextPath + ": in the build context").exists();
        if (Files.isRegularFile(source)) {
            Path file = intoDirectory ? target.resolve(source.getFileName()) : target;
            Files.createDirectories(file.getParent());
            Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path path : tree.filter(Files::isRegularFile).toList()) {
                String relative = ROOT.relativize(path).toString();
                if (isIgnored(relative, ignored)) {
                    continue;
                }
                Path file = target.resolve(source.relativize(path).toString());
                Files.createDirectories(file.getParent());
                Files.copy(path, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A path is left out of the context when it, or a folder it is in, matches a pattern. */
    static boolean isIgnored(String relative, List<String> patterns) {
        List<String> candidates = new ArrayList<>();
        String[] parts = relative.split("/");
        StringBuilder prefix = new StringBuilder();
        for (String part : parts) {
            prefix.append(prefix.isEmpty() ? "" : "/").append(part);
            candidates.add(prefix.toString());
        }
        for (String pattern : patterns) {
            List<PathMatcher> matchers = new ArrayList<>();
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            if (pattern.startsWith("**/")) {
                // Docker's **/ also matches no folder at all
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
            for (String candidate : candidates) {
                if (matchers.stream().anyMatch(matcher -> matcher.matches(Path.of(candidate)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> dockerignore() throws IOException {
        List<String> patterns = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(patterns).as("exceptions (!) are not modelled here").noneMatch(line -> line.startsWith("!"));
        assertThat(isIgnored("order-api/target/classes/A.class", patterns)).isTrue();
        assertThat(isIgnored(".git/HEAD", patterns)).isTrue();
        assertThat(isIgnored("order-api/src/main/java/A.java", patterns)).isFalse();
        return patterns;
    }

    @SuppressWarnings("unchecked")
    private static List<String> composeModules() throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) ((Map<String, Object>)
                    new Yaml().load(in)).get("services");
            TreeSet<String> modules = new TreeSet<>();
            services.values().stream().map(service -> (Map<String, Object>) service.get("build"))
                    .filter(build -> build != null)
                    .forEach(build -> modules.add(((Map<String, Object>) build.get("args")).get("MODULE").toString()));
            return List.copyOf(modules);
        }
    }
}
