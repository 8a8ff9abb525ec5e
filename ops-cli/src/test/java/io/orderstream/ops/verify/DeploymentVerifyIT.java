package io.orderstream.ops.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.orderstream.local.LocalKafka;
import io.orderstream.local.TestStack;
import io.orderstream.ops.OpsRun;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code orders-ops verify} passes against the real stack and fails against a broken or absent one. */
class DeploymentVerifyIT {

    @Test
    void passes_againstTheRealStack() {
        TestStack stack = TestStack.get();

        OpsRun.Result result = OpsRun.run("verify", "--url=http://localhost:" + stack.services.apiPort(),
                "--token=" + stack.api.token(TestStack.newTenant()), "--other-token=" + stack.api.token(TestStack.newTenant()));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("PASS  duplicate request answered from the store",
                "PASS  different keys processed independently", "PASS  missing Idempotency-Key refused",
                "PASS  key reused with another body refused", "PASS  another tenant's order answered 404",
                "5 of 5 checks passed");
    }

    @Test
    void fails_againstAServiceWithoutIdempotency() throws Exception {
        // a deployment with idempotency off: every POST is a new order, whatever its key
        HttpServer careless = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        careless.createContext("/", exchange -> {
            byte[] body = ("{\"orderId\":\"" + UUID.randomUUID() + "\",\"status\":\"PENDING\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        careless.start();
        try {
            OpsRun.Result result = OpsRun.run("verify", "--url=http://localhost:" + careless.getAddress().getPort(),
                    "--token=a", "--other-token=b");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.out()).contains("FAIL  duplicate request answered from the store",
                    "FAIL  missing Idempotency-Key refused", "FAIL  key reused with another body refused");
        } finally {
            careless.stop(0);
        }
    }

    @Test
    void fails_againstAWrongUrl() {
        OpsRun.Result result = OpsRun.run("verify", "--url=http://localhost:" + LocalKafka.freePort(), "--token=a",
                "--other-token=b");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.out()).contains("does not answer");
    }
}
