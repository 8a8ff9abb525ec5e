import io.orderstream.events.*;
import java.io.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.common.header.Header;

/**
 * The processor alone under a fixed rate of commands written straight to orders.commands.v1 (no API):
 * CPU per command of the processor process and of the broker process from /proc, and the time from
 * a command's send to its committed result. Usage: ProcessorCost <workdir> <rate> <seconds> (see run.sh)
 */
public class ProcessorCost {
    static final long HZ = 100;

    public static void main(String[] a) throws Exception {
        Path work = Files.createTempDirectory(Path.of(a[0]), "run");
        int rate = Integer.parseInt(a[1]);
        int seconds = Integer.parseInt(a[2]);
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process infra = new ProcessBuilder(java, "-Xmx1g", "-cp", cp, "io.orderstream.bench.BenchInfra", work.resolve("kafka").toString())
                .redirectError(work.resolve("infra.err").toFile()).start();
        BufferedReader infraOut = new BufferedReader(new InputStreamReader(infra.getInputStream()));
        String bootstrap = null, jdbc = null;
        while (bootstrap == null || jdbc == null) {
            String line = infraOut.readLine();
            if (line == null) throw new IllegalStateException("infra ended");
            if (line.startsWith("bootstrap=")) bootstrap = line.substring(10);
            if (line.startsWith("jdbc=")) jdbc = line.substring(5);
        }
        long brokerPid = infra.pid();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", cp, "io.orderstream.processor.OrderProcessorApplication",
                "--spring.kafka.bootstrap-servers=" + bootstrap, "--spring.datasource.url=" + jdbc,
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--logging.level.root=WARN", "--server.port=0", "--spring.kafka.streams.state-dir=" + work.resolve("streams")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("processor.log").toFile());
        Process processor = pb.start();
        // nothing is sent before the processor created the topics (a send would auto-create one)
        Properties ap = new Properties();
        ap.put("bootstrap.servers", bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(ap)) {
            long until = System.currentTimeMillis() + 600_000;
            while (!admin.listTopics().names().get().containsAll(List.of(Topics.COMMANDS.name(), Topics.COMMAND_RESULTS.name()))) {
                if (System.currentTimeMillis() > until) throw new IllegalStateException("no topics");
                Thread.sleep(500);
            }
        }
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong results = new AtomicLong();
        Properties cp2 = new Properties();
        cp2.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp2.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp2.put(ConsumerConfig.GROUP_ID_CONFIG, "cost-" + UUID.randomUUID());
        cp2.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp2.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp2, new StringDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(Topics.COMMAND_RESULTS.name()));
                while (true) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        Header h = r.headers().lastHeader(ResultHeaders.REQUEST_ID);
                        if (h != null) {
                            Long t = sentAt.remove(new String(h.value()));
                            if (t != null) latencies.add(now - t);
                        }
                        results.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                // ends with the harness
            }
        });
        reader.setDaemon(true);
        reader.start();
        // wait for the processor: a probe command answered
        long deadline = System.currentTimeMillis() + 600_000;
        int orderNo = 0;
        while (results.get() == 0) {
            send(producer, sentAt, place("probe-" + (orderNo++)));
            Thread.sleep(1000);
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("processor did not answer");
        }
        System.out.println("processor up; warm-up");
        Workload load = new Workload();
        drive(producer, sentAt, load, rate / 2, 20);
        awaitQuiet(results);
        // lone commands: one at a time, 300 ms apart
        latencies.clear();
        for (int i = 0; i < 40; i++) {
            send(producer, sentAt, place("lone-" + i));
            Thread.sleep(300);
        }
        Thread.sleep(1000);
        report("lone commands", latencies);
        for (int step : new int[] {1000, rate}) {
            latencies.clear();
            long r0 = results.get();
            long[] p0 = cpu(processor.pid()), b0 = cpu(brokerPid);
            long t0 = System.nanoTime();
            int sent = drive(producer, sentAt, load, step, seconds);
            long target = r0 + sent;
            long waitUntil = System.currentTimeMillis() + 120_000;
            while (results.get() < target && System.currentTimeMillis() < waitUntil) Thread.sleep(20);
            long elapsed = System.nanoTime() - t0;
            long[] p1 = cpu(processor.pid()), b1 = cpu(brokerPid);
            long answered = results.get() - r0;
            double pMs = (p1[0] + p1[1] - p0[0] - p0[1]) * 1000.0 / HZ / answered;
            double bMs = (b1[0] + b1[1] - b0[0] - b0[1]) * 1000.0 / HZ / answered;
            System.out.printf("rate %d/s: sent %d, answered %d in %.1f s; CPU per command: processor %.3f ms, broker %.3f ms; load %s%n",
                    step, sent, answered, elapsed / 1e9, pMs, bMs, Files.readString(Path.of("/proc/loadavg")).trim());
            report("rate " + step, latencies);
            awaitQuiet(results);
        }
        producer.close();
        processor.destroy();
        processor.waitFor(30, TimeUnit.SECONDS);
        infra.getOutputStream().close();
        infra.waitFor(30, TimeUnit.SECONDS);
        infra.destroy();
        System.exit(0);
    }

    /** utime and stime of a process (PostgreSQL runs in processes of its own: the infra JVM is the broker). */
    static long[] cpu(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    static void awaitQuiet(AtomicLong results) throws InterruptedException {
        long last = -1;
        while (results.get() != last) {
            last = results.get();
            Thread.sleep(1500);
        }
    }

    static void report(String what, List<Long> latencies) {
        List<Long> l;
        synchronized (latencies) { l = new ArrayList<>(latencies); }
        Collections.sort(l);
        if (l.isEmpty()) { System.out.println(what + ": no answers"); return; }
        System.out.printf("%s: %d answers, send→committed result p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, l.size(),
                l.get(l.size() / 2) / 1e6, l.get((int) (l.size() * 0.99)) / 1e6, l.get(l.size() - 1) / 1e6);
    }

    static int drive(KafkaProducer<String, byte[]> producer, Map<String, Long> sentAt, Workload load, int rate, int seconds)
            throws InterruptedException {
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        int sent = 0;
        while (sent < total) {
            long due = start + sent * 1_000_000_000L / rate;
            long now = System.nanoTime();
            if (due > now) {
                long ms = (due - now) / 1_000_000;
                if (ms > 0) Thread.sleep(ms);
                continue;
            }
            send(producer, sentAt, load.next());
            sent++;
        }
        return sent;
    }

    static void send(KafkaProducer<String, byte[]> producer, Map<String, Long> sentAt, CommandEnvelope c) {
        sentAt.put(c.requestId(), System.nanoTime());
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), c.tenantId() + "/" + c.orderId(), Json.write(c)));
    }

    static CommandEnvelope place(String orderId) {
        return envelope("acme", orderId, "k-" + orderId, new OrderCommand.PlaceOrder("cust-1", "EUR",
                List.of(new OrderLine("SKU-1", 2, 1250))));
    }

    static CommandEnvelope envelope(String tenant, String orderId, String key, OrderCommand command) {
        return new CommandEnvelope(SchemaVersions.COMMAND, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                tenant, orderId, key, Integer.toHexString(key.hashCode()) + "0123456789abcdef0123456789abcdef01234567890abcdef0123456".substring(0, 56),
                Instant.now(), command, "bench@" + tenant);
    }

    /** 4 tenants; per order: place, a duplicate of it a fifth of the time, then PROCESSING later. */
    static final class Workload {
        final String[] tenants = {"acme", "globex", "initech", "umbrella"};
        final ArrayDeque<CommandEnvelope> pending = new ArrayDeque<>();
        final Random random = new Random(42);
        int n;

        CommandEnvelope next() {
            if (!pending.isEmpty() && (pending.size() > 100 || random.nextInt(100) < 40)) {
                return pending.poll();
            }
            String tenant = tenants[n % 4];
            String orderId = "o-" + (n++) + "-" + UUID.randomUUID();
            CommandEnvelope place = envelope(tenant, orderId, "k-" + orderId, new OrderCommand.PlaceOrder("c-" + n, "EUR",
                    List.of(new OrderLine("BOOK-1", 2, 1999))));
            if (random.nextInt(100) < 20) {
                pending.add(new CommandEnvelope(place.schemaVersion(), UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        place.tenantId(), place.orderId(), place.idempotencyKey(), place.fingerprint(), place.occurredAt(),
                        place.command(), place.actor()));
            }
            pending.add(envelope(tenant, orderId, "m-" + orderId, new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, "picked")));
            return place;
        }
    }
}
