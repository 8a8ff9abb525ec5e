package io.orderstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty driver against a real HTTP/1.1 server, answering as each test tells it to. */
class HttpLoadTest {

    private TestHttpServer server;
    private URI base;

    private void serve(java.util.function.IntFunction<TestHttpServer.Answer> answers) throws InterruptedException {
        server = new TestHttpServer(answers);
        base = server.base();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Supplier<HttpLoad.Call> calls(AtomicInteger answered) {
        byte[] wire = HttpLoad.encode("POST", base, "/api/v1/orders", Map.of("Content-Type", "application/json"), "{}");
        return () -> new HttpLoad.Call() {
            @Override
            public byte[] wire() {
                return wire;
            }

            @Override
            public void answered(int status, io.netty.handler.codec.http.HttpHeaders headers) {
                answered.incrementAndGet();
            }
        };
    }

    @Test
    void openLoop_sendsEveryRequestOnItsSchedule_andCountsStatusesAndErrorKinds() throws Exception {
        serve(i -> TestHttpServer.Answer.now(i % 10 == 0 ? 503 : i % 10 == 1 ? 500 : 201));
        AtomicInteger answered = new AtomicInteger();
        try (HttpLoad http = new HttpLoad(base, 16)) {
            HttpLoad.Result result = http.open("test", 200, Duration.ofSeconds(2), Duration.ofSeconds(10),
                    calls(answered));

            assertThat(result.sent()).isEqualTo(400);
            assertThat(result.answered()).isEqualTo(400);
            assertThat(result.ok()).isEqualTo(320);
            assertThat(result.errors()).containsOnly(Map.entry("503 with Retry-After", 40L), Map.entry("500", 40L));
            assertThat(result.latency().getTotalCount()).isEqualTo(400);
            assertThat(answered.get()).isEqualTo(400); // every caller heard its answer
            assertThat(server.requests()).isEqualTo(400);
        }
    }

    @Test
    void aStall_showsInTheLatencyOfEveryRequestDueMeanwhile() throws Exception {
        serve(i -> new TestHttpServer.Answer(201, i == 1 ? 300 : 0)); // the stall the driver must not hide
        try (HttpLoad http = new HttpLoad(base, 1)) { // one connection: the rest wait behind the stall
            HttpLoad.Result result = http.open("test", 100, Duration.ofSeconds(1), Duration.ofSeconds(10),
                    calls(new AtomicInteger()));

            assertThat(result.ok()).isEqualTo(100);
            // requests due 10, 20, ... 100 ms after the first waited for the first's 300 ms: measured
            // from when they were due, each took at least 200 ms
            assertThat(result.latency().getCountBetweenValues(200_000, Long.MAX_VALUE)).isGreaterThanOrEqualTo(10);
            assertThat(result.ms(100)).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void requestsUnansweredAtTheEnd_countAsNoAnswer_andTheirLateAnswerStillReachesTheCaller() throws Exception {
        serve(i -> new TestHttpServer.Answer(201, i == 5 ? 8_000 : 0)); // an answer after the step
        AtomicInteger answered = new AtomicInteger();
        try (HttpLoad http = new HttpLoad(base, 4)) {
            HttpLoad.Result result = http.open("test", 50, Duration.ofSeconds(1), Duration.ofSeconds(4),
                    calls(answered));

            assertThat(result.sent()).isEqualTo(50);
            // the held one at least (on a busy machine others may be late too): each counted once
            assertThat(result.errors()).containsOnlyKeys("no answer");
            assertThat(result.errors().get("no answer")).isPositive().isEqualTo(50 - result.ok());
            assertThat(result.latency().getTotalCount()).isEqualTo(50);
            assertThat(answered.get()).isEqualTo(50); // the held one answered after the step, unmeasured
        }
    }

    @Test
    void closedLoop_keepsItsClientsBusy_andAConnectionRefusedIsAnError() throws Exception {
        serve(i -> TestHttpServer.Answer.now(201));
        try (HttpLoad http = new HttpLoad(base, 4)) {
            HttpLoad.Result result = http.closed("test", 8, Duration.ofSeconds(1), calls(new AtomicInteger()));

            assertThat(result.clients()).isEqualTo(8);
            assertThat(result.ok()).isEqualTo(result.sent()).isGreaterThan(8);
            assertThat(result.errors()).isEmpty();
        }
        server.close();
        server = null;
        try (HttpLoad http = new HttpLoad(base, 4)) {
            HttpLoad.Result refused = http.open("test", 20, Duration.ofSeconds(1), Duration.ofSeconds(5),
                    calls(new AtomicInteger()));

            assertThat(refused.ok()).isZero();
            assertThat(refused.errors()).containsOnlyKeys("connection refused");
            assertThat(refused.errors().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
        }
    }
}
