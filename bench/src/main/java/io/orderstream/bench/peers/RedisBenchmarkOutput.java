package io.orderstream.bench.peers;

import io.orderstream.bench.Tools;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What redis-benchmark (7.0, as Debian 12 ships it, run without {@code -q}) printed for one test.
 * Its output holds progress lines ending in carriage returns, then a block like:
 *
 * <pre>
 *   20000 requests completed in 0.31 seconds
 *   8 parallel clients
 *   ...
 * Latency by percentile distribution:
 * 50.000% &lt;= 0.071 milliseconds (cumulative count 11136)
 * ...
 * Cumulative distribution of latencies:
 * 99.900% &lt;= 0.903 milliseconds (cumulative count 19980)
 * ...
 * Summary:
 *   throughput summary: 64724.92 requests per second
 *   latency summary (msec):
 *           avg       min       p50       p95       p99       max
 *         0.090     0.024     0.071     0.207     0.415     4.215
 * </pre>
 *
 * p50 and p99 are taken from the summary (redis-benchmark's own HdrHistogram). It prints no p99.9,
 * so that one is the smallest latency of either distribution block whose cumulative count reaches
 * 99.9 % of the requests: the least upper bound of p99.9 that the output gives (the percentile block
 * steps 99.805 %, 99.902 %, ..., the cumulative block steps by about 0.1 ms).
 *
 * @param seconds requests / throughput, so that the Measurement's throughput is redis-benchmark's
 *                own figure (its "completed in" seconds is rounded to 10 ms)
 */
record RedisBenchmarkOutput(long requests, int clients, double throughput, double seconds, double p50Ms,
        double p99Ms, double p999Ms, String save, String appendonly) {

    private static final Pattern COMPLETED = Pattern.compile("^\\s*(\\d+) requests completed in ([0-9.]+) seconds");
    private static final Pattern CLIENTS = Pattern.compile("^\\s*(\\d+) parallel clients");
    private static final Pattern POINT = Pattern.compile(
            "^([0-9.]+)% <= ([0-9.]+) milliseconds \\(cumulative count (\\d+)\\)");
    private static final Pattern THROUGHPUT = Pattern.compile("throughput summary: ([0-9.]+) requests per second");
    private static final Pattern CONFIGURATION = Pattern.compile("host configuration \"(\\w+)\": (.*)$");

    private record Point(double ms, long cumulativeCount) {
    }

    /**
     * @throws IllegalArgumentException when the output has no completed test (redis-benchmark failed)
     */
    static RedisBenchmarkOutput parse(String output) {
        long requests = -1;
        int clients = 0;
        double throughput = Double.NaN;
        List<Point> points = new ArrayList<>();
        Map<String, String> configuration = new HashMap<>();
        Map<String, Double> summary = new HashMap<>();
        String[] lines = output.split("[\r\n]+");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m;
            if ((m = COMPLETED.matcher(line)).find()) {
                requests = Long.parseLong(m.group(1));
            } else if ((m = CLIENTS.matcher(line)).find()) {
                clients = Integer.parseInt(m.group(1));
            } else if ((m = POINT.matcher(line)).find()) {
                points.add(new Point(Double.parseDouble(m.group(2)), Long.parseLong(m.group(3))));
            } else if ((m = THROUGHPUT.matcher(line)).find()) {
                throughput = Double.parseDouble(m.group(1));
            } else if ((m = CONFIGURATION.matcher(line)).find()) {
                configuration.put(m.group(1), m.group(2).trim());
            } else if (line.contains("latency summary") && i + 2 < lines.length) {
                String[] names = lines[i + 1].trim().split("\\s+");
                String[] values = lines[i + 2].trim().split("\\s+");
                for (int k = 0; k < Math.min(names.length, values.length); k++) {
                    summary.put(names[k], Double.parseDouble(values[k]));
                }
            }
        }
        if (requests < 0 || Double.isNaN(throughput)) {
            throw new IllegalArgumentException("redis-benchmark finished no test:\n" + Tools.tail(output, 5));
        }
        double p50 = summary.getOrDefault("p50", upperBound(points, requests, 0.50));
        double p99 = summary.getOrDefault("p99", upperBound(points, requests, 0.99));
        return new RedisBenchmarkOutput(requests, clients, throughput, requests / throughput, p50, p99,
                upperBound(points, requests, 0.999), configuration.getOrDefault("save", "?"),
                configuration.getOrDefault("appendonly", "?"));
    }

    /** The smallest printed latency that at least {@code share} of the requests did not exceed. */
    private static double upperBound(List<Point> points, long requests, double share) {
        long needed = (long) Math.ceil(share * requests);
        return points.stream().filter(p -> p.cumulativeCount() >= needed).mapToDouble(Point::ms).min()
                .orElse(Double.NaN);
    }
}
