package io.orderstream.bench;

import io.orderstream.events.EventEnvelope;
import io.orderstream.events.Json;
import io.orderstream.events.Topics;
import io.orderstream.local.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the run left behind, read back after the load: the event log (read_committed) against the
 * requests the storefronts saw applied, and the PostgreSQL projection against the fold of the log
 * (by the operators' own {@code orders-ops projection verify}).
 */
final class Audit {

    /**
     * @param applied      requests answered 201/200 (first answer or replay), distinct keys
     * @param events       events of the run's tenants in the log
     * @param missing      applied requests with no event
     * @param unexplained  events whose key was never sent, or was answered with a rejection
     * @param unanswered   events of requests that never got a final answer (applied; the client
     *                     did not learn it): not a fault, counted to show the audit saw them
     * @param appliedTwice keys with more than one event
     * @param orders       orders in the log
     * @param gaps         orders whose sequences are not exactly 1…n
     * @param projection   the verdict line of {@code projection verify}
     */
    record Findings(long applied, long events, long missing, long unexplained, long unanswered, long appliedTwice,
            long orders, long gaps, boolean projectionEqual, String projection) {

        boolean clean() {
            return missing == 0 && unexplained == 0 && appliedTwice == 0 && gaps == 0 && projectionEqual;
        }

        String summary() {
            return String.format("%,d requests answered as applied, %,d events: %d missing, %d unexplained, "
                            + "%d applied twice, %d of requests never answered; %,d orders, %d with a gap in their "
                            + "sequences; projection: %s", applied, events, missing, unexplained, appliedTwice,
                    unanswered, orders, gaps, projection);
        }
    }

    private Audit() {
    }

    /** @param finalStatus every key sent ({@code tenant/key}) → its final status, 0 if none */
    static Findings check(String bootstrap, Map<String, Integer> finalStatus, List<String> tenants,
            String opsJar, String jdbcUrl, Path workDir) throws InterruptedException {
        Set<String> tenantSet = new HashSet<>(tenants);
        Map<String, Integer> eventsPerKey = new HashMap<>();
        Map<String, List<Long>> sequences = new TreeMap<>();
        long events = 0;
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAll(bootstrap, Topics.EVENTS.name(),
                Duration.ofMinutes(5))) {
            EventEnvelope event = Json.read(record.value(), EventEnvelope.class);
            if (!tenantSet.contains(event.tenantId())) {
                continue;
            }
            events++;
            eventsPerKey.merge(event.tenantId() + "/" + event.idempotencyKey(), 1, Integer::sum);
            sequences.computeIfAbsent(event.tenantId() + "/" + event.orderId(), o -> new ArrayList<>())
                    .add(event.sequence());
        }
        long applied = 0;
        long missing = 0;
        for (Map.Entry<String, Integer> sent : finalStatus.entrySet()) {
            if (sent.getValue() == 200 || sent.getValue() == 201) {
                applied++;
                if (!eventsPerKey.containsKey(sent.getKey())) {
                    missing++;
                }
            }
        }
        long unexplained = 0;
        long unanswered = 0;
        for (String key : eventsPerKey.keySet()) {
            Integer status = finalStatus.get(key);
            if (status == null || (status != 0 && status != 200 && status != 201)) {
                unexplained++;
            } else if (status == 0) {
                unanswered++;
            }
        }
        long twice = eventsPerKey.values().stream().filter(count -> count > 1).count();
        long gaps = sequences.values().stream().filter(Audit::hasGap).count();
        String[] verdict = projectionVerify(opsJar, bootstrap, jdbcUrl, workDir);
        return new Findings(applied, events, missing, unexplained, unanswered, twice, sequences.size(), gaps,
                verdict[0].equals("0"), verdict[1]);
    }

    static boolean hasGap(List<Long> sequences) {
        List<Long> sorted = sequences.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i) != i + 1) {
                return true;
            }
        }
        return false;
    }

    /** {@code [exit code, its verdict line]} */
    private static String[] projectionVerify(String opsJar, String bootstrap, String jdbcUrl, Path workDir)
            throws InterruptedException {
        try (Child verify = Child.start("projection-verify", null, workDir, List.of("-Xmx1g"), opsJar,
                null, List.of("projection", "verify", "--bootstrap-servers", bootstrap,
                        "--db-url", jdbcUrl, "--db-user", "postgres", "--db-password", "postgres"))) {
            int exit = verify.awaitExit(Duration.ofMinutes(5));
            String verdict = verify.output().lines().filter(l -> l.startsWith("projection verify:")).reduce(
                    (a, b) -> b).orElse("no verdict (exit " + exit + "); see " + verify.log());
            return new String[] {Integer.toString(exit), verdict.substring(verdict.indexOf(':') + 1).trim()};
        }
    }

    /** Waits until the processor has taken every command in the log (its group's lag is 0). */
    static void awaitProcessed(String bootstrap, String group, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().stream().filter(p -> p.topic().equals(Topics.COMMANDS.name()))
                        .forEach(p -> latest.put(p, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                        .get();
                long lag = ends.entrySet().stream().mapToLong(e -> e.getValue().offset()
                        - committed.get(e.getKey()).offset()).sum();
                if (lag <= 0 && !ends.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the processor still has " + lag + " commands to take after "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(250); // polling a remote state: nothing to wait on instead
            }
        }
    }
}
