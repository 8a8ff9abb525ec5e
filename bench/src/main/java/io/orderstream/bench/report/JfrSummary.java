package io.orderstream.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one JVM spent its CPU time, from a JDK Flight Recorder file, as a short Markdown section:
 * execution samples by thread group, hot methods and packages, garbage collection and CPU load.
 */
public final class JfrSummary {

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private JfrSummary() {
    }

    /** Prints the summary of the recording named by {@code args[0]}, top 20 of each list. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: JfrSummary <recording.jfr>");
            System.exit(2);
        }
        System.out.println(markdown(Path.of(args[0]), 20));
    }

    /**
     * Reads the recording and summarises it in Markdown.
     *
     * <ul>
     *   <li>execution samples ({@code jdk.ExecutionSample}: Java code on a CPU, not native code or
     *       waiting) by thread group, the thread name with every run of digits replaced by {@code #};
     *       counts and percent of all samples</li>
     *   <li>the {@code top} hottest methods ({@code class.method} of the top frame) and packages
     *       (the top frame's package, first three segments), percent of all samples</li>
     *   <li>garbage collection: collections, total and longest pause in milliseconds per collector,
     *       and the most heap in use after a collection</li>
     *   <li>CPU load ({@code jdk.CPULoad}): average of the JVM's user + system share and of the
     *       whole machine's, in percent of all the machine's hardware threads</li>
     * </ul>
     *
     * @param jfrFile a recording, e.g. from {@code -XX:StartFlightRecording=filename=x.jfr,settings=profile}
     * @param top     how many thread groups, methods and packages to list (the rest are summed up)
     * @return the Markdown text, starting with a level-2 heading
     */
    public static String markdown(Path jfrFile, int top) {
        Tally tally = new Tally();
        try (RecordingFile recording = new RecordingFile(jfrFile)) {
            while (recording.hasMoreEvents()) {
                tally.add(recording.readEvent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jfrFile, e);
        }
        return tally.markdown(jfrFile.getFileName().toString(), Math.max(top, 1));
    }

    /** A thread's name with its numbers replaced by {@code #}, so a pool's threads count together. */
    static String threadGroup(String threadName) {
        return threadName == null ? "(unnamed)" : DIGITS.matcher(threadName).replaceAll("#");
    }

    /** The first three segments of a class's package: {@code org.apache.kafka}, {@code java.util.zip}. */
    static String packageOf(String className) {
        int lastDot = className.lastIndexOf('.');
        if (lastDot < 0) {
            return "(default package)";
        }
        String[] segments = className.substring(0, lastDot).split("\\.");
        return String.join(".", List.of(segments).subList(0, Math.min(3, segments.length)));
    }

    private static final class Tally {
        long samples;
        final Map<String, Long> threads = new HashMap<>();
        final Map<String, Long> methods = new HashMap<>();
        final Map<String, Long> packages = new HashMap<>();

        final Map<String, Gc> collectors = new LinkedHashMap<>();
        final Map<Long, Gc> phasePauses = new HashMap<>(); // by gcId, for when there is no jdk.GarbageCollection
        long maxHeapAfterGc = -1;

        double cpuJvm;
        double cpuMachine;
        long cpuEvents;
        int hardwareThreads;

        Instant first;
        Instant last;

        void add(RecordedEvent event) {
            Instant start = event.getStartTime();
            Instant end = event.getEndTime();
            if (first == null || start.isBefore(first)) {
                first = start;
            }
            if (last == null || end.isAfter(last)) {
                last = end;
            }
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> sample(event);
                case "jdk.GarbageCollection" -> {
                    Gc gc = collectors.computeIfAbsent(event.getString("name"), n -> new Gc());
                    gc.count++;
                    gc.total = gc.total.plus(event.getDuration("sumOfPauses"));
                    gc.longest = max(gc.longest, event.getDuration("longestPause"));
                }
                case "jdk.GCPhasePause" -> {
                    Gc gc = phasePauses.computeIfAbsent(event.getLong("gcId"), id -> new Gc());
                    gc.pause(event.getDuration());
                }
                case "jdk.GCHeapSummary" -> {
                    if ("After GC".equals(event.getString("when"))) {
                        maxHeapAfterGc = Math.max(maxHeapAfterGc, event.getLong("heapUsed"));
                    }
                }
                case "jdk.CPULoad" -> {
                    cpuJvm += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                    cpuMachine += event.getFloat("machineTotal");
                    cpuEvents++;
                }
                case "jdk.CPUInformation" -> hardwareThreads = event.getInt("hwThreads");
                default -> {
                }
            }
        }

        private void sample(RecordedEvent event) {
            samples++;
            RecordedThread thread = event.getThread("sampledThread");
            String name = thread == null ? null : thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
            threads.merge(threadGroup(name), 1L, Long::sum);
            RecordedStackTrace stack = event.getStackTrace();
            List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
            if (frames.isEmpty()) {
                methods.merge("(no stack trace)", 1L, Long::sum);
                packages.merge("(no stack trace)", 1L, Long::sum);
                return;
            }
            RecordedMethod method = frames.get(0).getMethod();
            String type = method.getType().getName();
            methods.merge(type + "." + method.getName(), 1L, Long::sum);
            packages.merge(packageOf(type), 1L, Long::sum);
        }

        String markdown(String fileName, int top) {
            StringBuilder md = new StringBuilder();
            md.append("## Where the CPU time goes: `").append(fileName).append("`\n\n");
            Duration span = first == null ? Duration.ZERO : Duration.between(first, last);
            md.append(String.format(Locale.ROOT, "Recording of %.1f s, %d execution samples "
                    + "(`jdk.ExecutionSample`: Java code on a CPU; native code and waiting are not sampled).%n%n",
                    span.toMillis() / 1000.0, samples));

            if (samples == 0) {
                md.append("No execution samples: was `jdk.ExecutionSample` enabled (e.g. `settings=profile`)?\n\n");
            } else {
                table(md, "Execution samples by thread group", "Thread group (digits as #)", threads, top);
                table(md, "Hot methods (top frame)", "Method", methods, top);
                table(md, "Hot packages (top frame)", "Package", packages, top);
            }

            md.append("### Garbage collection\n\n");
            gc(md);

            md.append("### CPU load\n\n");
            if (cpuEvents == 0) {
                md.append("No `jdk.CPULoad` events.\n\n");
            } else {
                double jvm = cpuJvm / cpuEvents * 100;
                double machine = cpuMachine / cpuEvents * 100;
                md.append(String.format(Locale.ROOT, "Average over %d readings, in percent of the whole machine", cpuEvents));
                if (hardwareThreads > 0) {
                    md.append(String.format(Locale.ROOT, " (%d hardware threads)", hardwareThreads));
                }
                md.append(String.format(Locale.ROOT, ": this JVM (user + system) %.1f %%", jvm));
                if (hardwareThreads > 0) {
                    md.append(String.format(Locale.ROOT, ", about %.2f hardware threads busy", jvm / 100 * hardwareThreads));
                }
                md.append(String.format(Locale.ROOT, "; the machine in all %.1f %%", machine));
                md.append(".\n\n");
            }
            return md.toString();
        }

        private void gc(StringBuilder md) {
            if (collectors.isEmpty() && !phasePauses.isEmpty()) {
                Gc gc = new Gc();
                for (Gc one : phasePauses.values()) {
                    gc.count++;
                    gc.total = gc.total.plus(one.total);
                    gc.longest = max(gc.longest, one.longest);
                }
                collectors.put("(from jdk.GCPhasePause)", gc);
            }
            if (collectors.isEmpty()) {
                md.append("No garbage collections recorded.\n\n");
            } else {
                md.append("| Collector | Collections | Total pause (ms) | Longest pause (ms) |\n");
                md.append("|---|---:|---:|---:|\n");
                Gc all = new Gc();
                for (Map.Entry<String, Gc> e : collectors.entrySet()) {
                    Gc gc = e.getValue();
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", cell(e.getKey()), gc.count,
                            ms(gc.total), ms(gc.longest)));
                    all.count += gc.count;
                    all.total = all.total.plus(gc.total);
                    all.longest = max(all.longest, gc.longest);
                }
                if (collectors.size() > 1) {
                    md.append(String.format(Locale.ROOT, "| **all** | %d | %.1f | %.1f |%n", all.count, ms(all.total),
                            ms(all.longest)));
                }
                md.append('\n');
            }
            if (maxHeapAfterGc >= 0) {
                md.append(String.format(Locale.ROOT, "Most heap in use after a collection: %.1f MiB.%n%n",
                        maxHeapAfterGc / (1024.0 * 1024)));
            }
        }

        private void table(StringBuilder md, String heading, String what, Map<String, Long> counts, int top) {
            md.append("### ").append(heading).append("\n\n");
            md.append("| ").append(what).append(" | Samples | % |\n|---|---:|---:|\n");
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
            sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            long rest = 0;
            for (int i = 0; i < sorted.size(); i++) {
                Map.Entry<String, Long> e = sorted.get(i);
                if (i < top) {
                    md.append(String.format(Locale.ROOT, "| `%s` | %d | %.1f |%n", cell(e.getKey()), e.getValue(),
                            100.0 * e.getValue() / samples));
                } else {
                    rest += e.getValue();
                }
            }
            if (sorted.size() > top) {
                md.append(String.format(Locale.ROOT, "| (%d more) | %d | %.1f |%n", sorted.size() - top, rest,
                        100.0 * rest / samples));
            }
            md.append('\n');
        }
    }

    private static final class Gc {
        long count;
        Duration total = Duration.ZERO;
        Duration longest = Duration.ZERO;

        void pause(Duration pause) {
            total = total.plus(pause);
            longest = max(longest, pause);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    /** Text safe inside a Markdown table cell (a pipe would end the cell, a backtick the code span). */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("`", "'").replace("\n", " ");
    }
}
