package io.orderstream.bench.peers;

import io.orderstream.bench.Measurement;
import io.orderstream.local.LocalPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows each peer working: open loop at 1,000 requests/s and a closed loop, 10 s each, against a
 * real PostgreSQL (embedded binaries, {@link LocalPostgres}) and a real redis-server. Arguments:
 * {@code [seconds] [rate]}.
 */
public final class PeersDemo {

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path workDir = Files.createTempDirectory("bench-peers");
        List<Measurement> results = new ArrayList<>();
        try (LocalPostgres server = LocalPostgres.start(0, null)) {
            URI uri = URI.create(server.jdbcUrl().substring("jdbc:".length()));
            try (PostgresPeer postgres = PostgresPeer.prepare(uri.getHost(), uri.getPort(), LocalPostgres.USER,
                    LocalPostgres.PASSWORD, workDir.resolve("postgres"))) {
                for (boolean sync : new boolean[] {false, true}) {
                    postgres.synchronousCommit(sync);
                    results.add(postgres.openLoop(rate, duration));
                    results.add(postgres.closedLoop(8, duration));
                }
            }
        }
        try (RedisPeer redis = RedisPeer.start(workDir.resolve("redis"))) {
            results.add(redis.openLoop(rate, duration));
            results.add(redis.closedLoop(8, duration));
        }
        System.out.println();
        System.out.printf("%-26s %7s %4s %9s %6s %7s %9s %8s %8s %8s  %s%n", "system", "rate", "conc", "completed",
                "errors", "secs", "tput/s", "p50 ms", "p99 ms", "p99.9 ms", "note");
        for (Measurement m : results) {
            System.out.printf("%-26s %7s %4d %9d %6d %7.2f %9.0f %8.3f %8.3f %8.3f  %s%n", m.system(),
                    m.closedLoop() ? "closed" : String.valueOf(m.offeredRate()), m.concurrency(), m.completed(),
                    m.errors(), m.seconds(), m.throughput(), m.p50Ms(), m.p99Ms(), m.p999Ms(), m.note());
        }
        System.out.println("work files in " + workDir);
    }
}
