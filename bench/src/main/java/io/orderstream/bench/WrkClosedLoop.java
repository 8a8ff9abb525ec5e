package io.orderstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The storefront's closed loop with Debian's {@code wrk} (a C driver, as the peers' are) and the
 * Lua storefront {@code storefront.lua}: the same mix, duplicates and status changes as
 * {@link Storefront}. One connection per wrk thread, so each answer belongs to the one request in
 * flight on its thread. What wrk's threads sent and were told is read back into the
 * {@link Storefront}, so the re-sends and the audit cover every key.
 */
final class WrkClosedLoop {

    private final Path wrk;
    private final Path dir;
    private int runs;

    private WrkClosedLoop(Path wrk, Path dir) {
        this.wrk = wrk;
        this.dir = dir;
    }

    /** wrk where it is installed ({@code bench/install-peers.sh} tries to), else empty. */
    static Optional<WrkClosedLoop> find(Path workDir) {
        return Tools.find("wrk").map(wrk -> new WrkClosedLoop(wrk, workDir.resolve("wrk")));
    }

    /** One closed loop of {@code clients} connections for {@code duration}; latency from send to answer. */
    Measurement run(String system, String base, Map<String, String> tokens, int clients, Duration duration,
            Storefront shop) {
        Path out = dir.resolve("run-" + ++runs);
        try {
            Files.createDirectories(out);
            Path script = out.resolve("storefront.lua");
            try (InputStream lua = WrkClosedLoop.class.getResourceAsStream("storefront.lua")) {
                Files.write(script, lua.readAllBytes());
            }
            List<String> command = new ArrayList<>(List.of(wrk.toString(), "-t", Integer.toString(clients), "-c",
                    Integer.toString(clients), "-d", duration.toSeconds() + "s", "--timeout", "30s", "-s",
                    script.toString(), base, "--", Long.toHexString(System.nanoTime()) + "r" + runs,
                    out.toString()));
            new TreeMap<>(tokens).forEach((tenant, token) -> command.add(tenant + "=" + token));
            Tools.Run run;
            try (Progress progress = Progress.elapsed(system + " closed loop (wrk, " + clients + " connections)")) {
                run = Tools.run(command, Map.of(), out.resolve("wrk-output.txt"), duration.plusSeconds(60));
            }
            String summary = run.output().lines().filter(l -> l.startsWith("WRK\t")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no summary (exit " + run.exitCode()
                            + "):\n" + Tools.tail(run.output(), 8)));
            return measurement(system, clients, summary, absorb(out, shop));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Statuses of the answers wrk's threads logged, after taking their requests into {@code shop}. */
    static Map<Integer, Long> absorb(Path out, Storefront shop) throws IOException {
        Map<Integer, Long> statuses = new TreeMap<>();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(out, "wrk-*.log")) {
            for (Path log : logs) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t", -1);
                    if (f[0].equals("S") && f.length >= 9) {
                        shop.sentElsewhere(new Storefront.Request(f[3], f[1], f[4], f[5], f[8], f[6],
                                Integer.parseInt(f[7])), f[2].equals("1"));
                    } else if (f[0].equals("R") && f.length >= 4) {
                        int status = Integer.parseInt(f[2]);
                        shop.answeredElsewhere(f[1], status, f[3].equals("1"));
                        statuses.merge(status, 1L, Long::sum);
                    }
                }
            }
        }
        return statuses;
    }

    /**
     * {@code WRK duration-µs requests connect read write timeout p50-µs p99-µs p99.9-µs max-µs}, as
     * the script's {@code done()} prints it.
     */
    static Measurement measurement(String system, int clients, String summary, Map<Integer, Long> statuses) {
        String[] f = summary.split("\t");
        double seconds = Long.parseLong(f[1]) / 1e6;
        long ok = statuses.getOrDefault(200, 0L) + statuses.getOrDefault(201, 0L);
        Map<String, Long> errors = new LinkedHashMap<>();
        statuses.forEach((status, count) -> {
            if (status != 200 && status != 201) {
                errors.put(Integer.toString(status), count);
            }
        });
        String[] kinds = {"connect", "read", "write", "timeout"};
        for (int i = 0; i < kinds.length; i++) {
            long count = Long.parseLong(f[3 + i]);
            if (count > 0) {
                errors.put(kinds[i], count);
            }
        }
        return new Measurement(system, Measurement.CLOSED_LOOP, clients, ok,
                errors.values().stream().mapToLong(Long::longValue).sum(), seconds, Long.parseLong(f[7]) / 1000.0,
                Long.parseLong(f[8]) / 1000.0, Long.parseLong(f[9]) / 1000.0, "wrk " + clients
                        + " connections, send to answer", errors);
    }
}
