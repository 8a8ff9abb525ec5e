package io.orderstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Facts about this machine for the report, and the PostgreSQL server's process. */
public final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = firstLine(Path.of("/proc/cpuinfo"), "model name").replaceFirst(".*:\\s*", "");
        String memory = firstLine(Path.of("/proc/meminfo"), "MemTotal").replaceAll("\\D+", "");
        long gib = memory.isEmpty() ? 0 : Long.parseLong(memory) / 1024 / 1024;
        return String.format("%d cores (%s), %d GiB, %s %s, %s %s", Runtime.getRuntime().availableProcessors(), cpu,
                gib, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstLine(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** A free port on loopback: the one helper every component of the run takes its port from. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The postmaster listening on {@code port} (its backends are its children). Embedded PostgreSQL
     * is started by pg_ctl, so it is no child of the JVM that started it.
     */
    static long postgresPid(int port) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String[] args = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .split("\0");
                    boolean postgres = args.length > 0 && args[0].endsWith("postgres");
                    for (int i = 0; postgres && i + 1 < args.length; i++) {
                        if (args[i].equals("-p") && args[i + 1].equals(Integer.toString(port))) {
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    return false;
                }
            }).mapToLong(p -> Long.parseLong(p.getFileName().toString())).min().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
