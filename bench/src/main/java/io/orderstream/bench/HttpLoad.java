package io.orderstream.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * HTTP/1.1 load from one Netty event loop, cheap enough that the driver does not take the machine
 * from the system it measures: requests are encoded once into bytes ({@link #encode}) and written
 * as they are on keep-alive connections, answers are decoded only as far as status and headers,
 * and every count and histogram lives on the event-loop thread (no locks, no atomics per request).
 *
 * <p>Open loop: requests go out on the {@link Pacer}'s schedule whatever the answers do; when no
 * connection is free (and no more may be opened) a request waits here, and its latency runs from
 * when it was due (coordinated-omission correction). Closed loop: {@code clients} requests in
 * flight, each answer sending the next.
 */
public final class HttpLoad implements AutoCloseable {

    /** One request, already encoded, and what to do with its answer. */
    public interface Call {
        /** The whole request as it goes on the wire (request line, headers, body). */
        byte[] wire();

        /**
         * Called once on the driver's thread; must be quick.
         *
         * @param status the HTTP status, 0 when no answer came (connection failed or closed)
         * @param headers the answer's headers, {@code null} without an answer
         */
        default void answered(int status, HttpHeaders headers) {
        }
    }

    /**
     * What one step measured. Requests unanswered at the step's end are recorded at that moment
     * (their latency is at least that) under status 0 and error kind {@code "no answer"}.
     *
     * @param errors  every request that was not answered 200/201, by kind: a status
     *                ({@code "503"}, {@code "503 with Retry-After"}), {@code "no answer"},
     *                {@code "connection refused"}, {@code "connect timeout"}, {@code "connection closed"}
     * @param notSent requests of an open-loop step never sent because it stopped early (its backlog
     *                grew past two seconds' worth)
     */
    public record Result(int offeredRate, int clients, long sent, long answered, Map<Integer, Long> statuses,
            Map<String, Long> errors, Histogram latency, double seconds, long notSent) {

        public double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        public long ok() {
            return count(200) + count(201);
        }

        public String summary() {
            return String.format("%s  answered %6d in %5.1f s (%7.1f/s)  p50 %7.2f ms  p99 %7.2f ms  "
                            + "p99.9 %7.2f ms  errors %s",
                    offeredRate > 0 ? String.format("rate %5d/s", offeredRate) : "closed loop, " + clients + " clients",
                    answered, seconds, answered / seconds, ms(50), ms(99), ms(99.9), errors);
        }
    }

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    private final int connectionLimit;
    // everything below: the event-loop thread only
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private int connections;
    private int limit;
    private volatile int inFlight;

    /** @param connections the most connections an open-loop step opens (a closed loop opens one per client) */
    public HttpLoad(URI base, int connections) {
        this.connectionLimit = connections;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .remoteAddress(base.getHost(), base.getPort())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpResponseDecoder(new HttpDecoderConfig()
                                .setValidateHeaders(false)), new Connection(channel));
                    }
                });
    }

    /** A request as bytes on the wire: HTTP/1.1, keep-alive, the body's length given. */
    public static byte[] encode(String method, URI base, String path, Map<String, String> headers, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256 + content.length).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort())
                .append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = new byte[start.length + content.length];
        System.arraycopy(start, 0, wire, 0, start.length);
        System.arraycopy(content, 0, wire, start.length, content.length);
        return wire;
    }

    // --- the two shapes of load -----------------------------------------------------------------

    /**
     * Open loop at {@code rate} per second for {@code duration}.
     *
     * @param drain how long after the last send to wait for answers before the rest count as unanswered
     * @param calls the next request, asked for on this thread when it is due (so it can depend on answers so far)
     */
    public Result open(String label, int rate, Duration duration, Duration drain, Supplier<Call> calls)
            throws InterruptedException {
        Step step = new Step(rate, 0);
        onLoop(() -> limit = connectionLimit);
        Pacer pacer = new Pacer(rate, duration);
        // a step far beyond what the system takes would only pile up requests for the next steps
        // to wait behind: it stops once two seconds' worth of requests are unanswered
        long backlogLimit = Math.max(1_000, 2L * rate);
        long sent = 0;
        try (Progress progress = Progress.every(label, () -> step.live(pacer.start()))) {
            for (long i = 0; i < pacer.total(); i++) {
                long due = pacer.awaitDue(i);
                if (sent - step.finished > backlogLimit) {
                    break;
                }
                Exchange exchange = new Exchange(calls.get(), due, step);
                sent++;
                step.sent = sent;
                loop.execute(() -> dispatch(exchange));
            }
            step.awaitFinished(sent, drain);
        }
        return close(step, pacer.start(), pacer.total() - sent);
    }

    /** Closed loop: {@code clients} requests in flight for {@code duration}, latency from send to answer. */
    public Result closed(String label, int clients, Duration duration, Supplier<Call> calls)
            throws InterruptedException {
        Step step = new Step(0, clients);
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        step.next = () -> {
            if (System.nanoTime() < deadline) {
                step.sent++;
                dispatch(new Exchange(calls.get(), System.nanoTime(), step));
            }
        };
        onLoop(() -> {
            limit = Math.max(connectionLimit, clients);
            for (int c = 0; c < clients; c++) {
                step.next.run();
            }
        });
        try (Progress progress = Progress.every(label, () -> step.live(start))) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - System.nanoTime())); // the clients run on the loop
            step.awaitFinished(onLoop(() -> step.sent), Duration.ofSeconds(30));
        }
        return close(step, start, 0);
    }

    /**
     * Ends a step: what is still unanswered counts as such; requests still waiting for a connection
     * are dropped (never sent: their callers hear status 0). Then lets the requests still out end
     * (unmeasured, up to 40 s), since they hold the server's threads and connections.
     */
    private Result close(Step step, long start, long notSent) throws InterruptedException {
        Result result = onLoop(() -> {
            long end = System.nanoTime();
            step.closed = true;
            for (Exchange open : step.open.keySet()) { // on the wire or waiting for a connection
                step.latency.recordValue(Math.max(1, (end - open.due) / 1000));
                step.statuses.merge(0, 1L, Long::sum);
                step.errors.merge("no answer", 1L, Long::sum);
            }
            waiting.removeIf(e -> {
                if (e.step == step) {
                    finish(e, 0, null, null);
                    return true;
                }
                return false;
            });
            return new Result(step.rate, step.clients, step.sent, step.answered, new TreeMap<>(step.statuses),
                    new LinkedHashMap<>(step.errors), step.latency.copy(), (end - start) / 1e9, notSent);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (inFlight > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50); // the loop counts; this only polls its count
        }
        return result;
    }

    // --- on the event loop ----------------------------------------------------------------------

    private void dispatch(Exchange exchange) {
        exchange.step.open.put(exchange, Boolean.TRUE);
        inFlight++;
        Connection connection = idle.pollFirst();
        while (connection != null && !connection.channel.isActive()) {
            connection = idle.pollFirst();
        }
        if (connection != null) {
            connection.send(exchange);
        } else if (connections < limit) {
            connect(exchange);
        } else {
            waiting.addLast(exchange);
        }
    }

    private void connect(Exchange exchange) {
        connections++;
        bootstrap.connect().addListener(future -> {
            if (future.isSuccess()) {
                Channel channel = ((io.netty.channel.ChannelFuture) future).channel();
                channel.pipeline().get(Connection.class).send(exchange);
            } else {
                connections--;
                Throwable cause = future.cause();
                finish(exchange, 0, null, cause instanceof io.netty.channel.ConnectTimeoutException ? "connect timeout"
                        : cause instanceof java.net.ConnectException ? "connection refused"
                        : "connect: " + cause.getClass().getSimpleName());
                Exchange next = waiting.pollFirst();
                if (next != null) {
                    connect(next);
                }
            }
        });
    }

    private void finish(Exchange exchange, int status, HttpHeaders headers, String failure) {
        if (exchange.done) {
            return;
        }
        exchange.done = true;
        inFlight--;
        Step step = exchange.step;
        if (step.open.remove(exchange) != null && !step.closed) {
            step.latency.recordValue(Math.max(1, (System.nanoTime() - exchange.due) / 1000));
            step.statuses.merge(status, 1L, Long::sum);
            if (status != 0) {
                step.answered++;
            }
            if (status != 200 && status != 201) {
                String kind = failure != null ? failure : status == 0 ? "no answer"
                        : status == 503 && headers.contains("Retry-After") ? "503 with Retry-After"
                        : Integer.toString(status);
                step.errors.merge(kind, 1L, Long::sum);
                step.failed++;
            }
            step.finished++;
        }
        try {
            exchange.call.answered(status, headers);
        } finally {
            if (!step.closed && step.next != null) {
                step.next.run();
            }
            step.check();
        }
    }

    private void onLoop(Runnable task) throws InterruptedException {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    private <T> T onLoop(Supplier<T> task) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the driver's event loop failed", e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One request of one step on its way. */
    private static final class Exchange {
        final Call call;
        final long due;
        final Step step;
        boolean done;

        Exchange(Call call, long due, Step step) {
            this.call = call;
            this.due = due;
            this.step = step;
        }
    }

    /** A step's counts: written on the event loop (sent: by the pacer in an open loop), read for progress. */
    private static final class Step {
        final int rate;
        final int clients;
        final Histogram latency = new Histogram(3);
        final Map<Integer, Long> statuses = new HashMap<>();
        final Map<String, Long> errors = new HashMap<>();
        final Map<Exchange, Boolean> open = new java.util.IdentityHashMap<>();
        final CompletableFuture<Void> allFinished = new CompletableFuture<>();
        volatile long sent;
        volatile long answered;
        volatile long failed;
        volatile long finished;
        volatile long expected = -1;
        boolean closed;
        Runnable next;

        Step(int rate, int clients) {
            this.rate = rate;
            this.clients = clients;
        }

        void check() {
            if (expected >= 0 && finished >= expected) {
                allFinished.complete(null);
            }
        }

        void awaitFinished(long total, Duration timeout) throws InterruptedException {
            expected = total;
            if (finished >= total) {
                return;
            }
            try {
                allFinished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // what is still out counts as unanswered
            }
        }

        String live(long start) {
            return String.format("%4.0f s: sent %,d, answered %,d, errors %,d, out %,d",
                    (System.nanoTime() - start) / 1e9, sent, answered, failed, sent - finished);
        }
    }

    /** One keep-alive connection: one request at a time, the next as soon as its answer is in. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        final Channel channel;
        Exchange current;
        int status;
        HttpHeaders headers;
        boolean keepAlive;

        Connection(Channel channel) {
            this.channel = channel;
        }

        void send(Exchange exchange) {
            current = exchange;
            channel.writeAndFlush(Unpooled.wrappedBuffer(exchange.call.wire()), channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (message instanceof HttpResponse response) {
                    status = response.status().code();
                    headers = response.headers();
                    keepAlive = HttpUtil.isKeepAlive(response);
                }
                if (message instanceof LastHttpContent && current != null) {
                    Exchange done = current;
                    current = null;
                    finish(done, status, headers, null);
                    if (!keepAlive) {
                        channel.close();
                    } else {
                        Exchange next = waiting.pollFirst();
                        if (next != null) {
                            send(next);
                        } else {
                            idle.addFirst(this); // the most recently used first: few connections stay warm
                        }
                    }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections--;
            idle.remove(this);
            if (current != null) {
                Exchange lost = current;
                current = null;
                finish(lost, 0, null, "connection closed");
            }
            Exchange next = waiting.pollFirst();
            if (next != null) {
                connect(next);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
