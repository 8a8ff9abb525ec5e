package io.orderstream.bench;

import io.orderstream.local.LocalKafka;
import io.orderstream.local.LocalPostgres;
import java.nio.file.Path;

/**
 * The shared infrastructure of a benchmark run in its own JVM, so the broker's CPU and memory are
 * read apart from the services': a KRaft broker and PostgreSQL on loopback. Prints
 * {@code bootstrap=…} and {@code jdbc=…}, then runs until its standard input closes.
 *
 * <p>Arguments: the broker's log directory.
 */
public final class BenchInfra {

    private BenchInfra() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(0, Path.of(args[0]));
                LocalPostgres postgres = LocalPostgres.start(0, null)) {
            System.out.println("bootstrap=" + kafka.bootstrapServers());
            System.out.println("jdbc=" + postgres.jdbcUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent holds our standard input open for as long as it needs us
            }
        }
        System.exit(0);
    }
}
