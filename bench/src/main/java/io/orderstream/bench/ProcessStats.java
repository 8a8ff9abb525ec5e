package io.orderstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and memory of one component, read from Linux {@code /proc}: the root process and all of
 * its descendants together (a launcher script, its JVM, a broker's children).
 */
public final class ProcessStats {

    /**
     * What one component used up to one moment.
     *
     * @param cpuNanos  user + system CPU time in nanoseconds, including that of reaped children
     * @param rssBytes  resident set size in bytes, summed over the processes
     * @param pssBytes  proportional set size in bytes (shared pages split among their users), summed;
     *                  the RSS of a process whose kernel gives no {@code smaps_rollup}
     * @param processes how many processes were read
     */
    public record Sample(long cpuNanos, long rssBytes, long pssBytes, int processes) {
    }

    private static final Path PROC = Path.of("/proc");
    private static volatile long clockTicks;

    private ProcessStats() {
    }

    /**
     * Reads the root process and every descendant living now. Processes that end between listing
     * and reading are left out; a root that is already gone gives an empty sample (all zero).
     *
     * @param rootPid the component's process id
     * @return CPU time (ns) and memory (bytes) summed over the process tree
     */
    public static Sample sample(long rootPid) {
        List<Long> pids = new ArrayList<>();
        pids.add(rootPid);
        ProcessHandle.of(rootPid).ifPresent(root -> root.descendants().forEach(p -> pids.add(p.pid())));
        return sum(pids);
    }

    /** Like {@link #sample(long)}, for the one process alone (e.g. a JVM whose children are measured apart). */
    public static Sample sampleAlone(long pid) {
        return sum(List.of(pid));
    }

    private static Sample sum(List<Long> pids) {
        long ticks = 0;
        long rss = 0;
        long pss = 0;
        int processes = 0;
        for (long pid : pids) {
            Optional<Long> cpu = cpuTicks(pid);
            if (cpu.isEmpty()) {
                continue; // gone between listing and reading
            }
            // a zombie (or a process gone since) has no VmRSS: its CPU still counts, its memory is 0
            long processRss = statusKb(pid, "VmRSS:").orElse(0L);
            long processPss = rollupKb(pid, "Pss:").orElse(processRss);
            ticks += cpu.get();
            rss += processRss * 1024;
            pss += processPss * 1024;
            processes++;
        }
        return new Sample(ticks * TimeUnit.SECONDS.toNanos(1) / clockTicks(), rss, pss, processes);
    }

    /**
     * The average number of cores busy between two samples of the same component.
     *
     * @param wall the wall-clock time between the samples
     * @return CPU seconds per wall second, e.g. 1.5 for one and a half cores; 0 for an empty interval
     */
    public static double cores(Sample before, Sample after, Duration wall) {
        long wallNanos = wall.toNanos();
        return wallNanos > 0 ? (double) (after.cpuNanos() - before.cpuNanos()) / wallNanos : 0;
    }

    private static Optional<Long> cpuTicks(long pid) {
        return read(PROC.resolve(Long.toString(pid)).resolve("stat")).flatMap(ProcessStats::cpuTicks);
    }

    /** utime + stime + cutime + cstime (fields 14–17 of a /proc/pid/stat line) in clock ticks. */
    static Optional<Long> cpuTicks(String statLine) {
        // comm (field 2) is in parentheses and may hold spaces and ')': the fields go on after the last ')'
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] fields = statLine.substring(close + 1).trim().split("\\s+"); // fields[0] is field 3 (state)
        int utime = 14 - 3;
        if (fields.length < utime + 4) {
            return Optional.empty();
        }
        long sum = 0;
        for (int i = utime; i < utime + 4; i++) {
            sum += Long.parseLong(fields[i]);
        }
        return Optional.of(sum);
    }

    private static Optional<Long> statusKb(long pid, String key) {
        return read(PROC.resolve(Long.toString(pid)).resolve("status")).flatMap(text -> kb(text, key));
    }

    private static Optional<Long> rollupKb(long pid, String key) {
        return read(PROC.resolve(Long.toString(pid)).resolve("smaps_rollup")).flatMap(text -> kb(text, key));
    }

    /** The value of a "Key:   1234 kB" line. */
    static Optional<Long> kb(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                return Optional.of(Long.parseLong(parts[0]));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // no such file when the process has ended, ESRCH while it ends, EACCES for others' smaps
            return Optional.empty();
        }
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}), asked once; 100 if it cannot be asked. */
    static long clockTicks() {
        long ticks = clockTicks;
        if (ticks == 0) {
            ticks = askClockTicks();
            clockTicks = ticks;
        }
        return ticks;
    }

    private static long askClockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                long ticks = Long.parseLong(out);
                if (ticks > 0) {
                    return ticks;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
