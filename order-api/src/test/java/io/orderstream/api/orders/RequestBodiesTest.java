package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.OrderStatus;
import io.orderstream.events.ProblemType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void overlongOrInvalidUtf8_isAMalformedBody_neverReadAsSomethingElse() {
        byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0x80},
            {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        for (byte[] bad : invalid) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"status\":\"PENDING\",\"reason\":\"a".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> RequestBodies.read(body.toByteArray(), ChangeStatusRequest.class))
                    .isInstanceOfSatisfying(ApiProblemException.class,
                            e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_BODY))
                    .hasMessage("The body is not valid UTF-8.");
        }
    }

    @Test
    void validUtf8_isRead() {
        byte[] body = "{\"status\":\"SHIPPED\",\"reason\":\"caf\u00e9 \ud83d\udce6\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(RequestBodies.read(body, ChangeStatusRequest.class))
                .isEqualTo(new ChangeStatusRequest(OrderStatus.SHIPPED, "caf\u00e9 \ud83d\udce6"));
    }

    @Test
    void aNumberForAnEnum_isAValidationProblemNamingTheField() {
        byte[] body = "{\"status\":3}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RequestBodies.read(body, ChangeStatusRequest.class))
                .isInstanceOfSatisfying(ApiProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.VALIDATION))
                .hasMessageStartingWith("status: ");
    }

    @Test
    void notAnObject_isAMalformedBody_thatNamesNoClassOfOurs() {
        for (String body : new String[] {"[]", "42", "\"text\"", "{\"status\":", "null"}) {
            assertThatThrownBy(() -> RequestBodies.read(body.getBytes(StandardCharsets.UTF_8),
                    PlaceOrderRequest.class)).as(body).isInstanceOfSatisfying(ApiProblemException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_BODY);
                        assertThat(e.getMessage()).doesNotContain("io.orderstream", "PlaceOrderRequest");
                    });
        }
    }

    @Test
    void aMemberNamedTwice_anywhere_isAMalformedBody_namingWhere_neverReadWithTheLastValue() {
        Object[][] cases = {
            {ChangeStatusRequest.class, "{\"status\":\"PROCESSING\",\"status\":\"CANCELED\"}", "status"},
            {ChangeStatusRequest.class, "{\"status\":\"SHIPPED\",\"reason\":\"a\",\"reason\":\"b\"}", "reason"},
            {ChangeStatusRequest.class, "{\"status\":\"SHIPPED\",\"status\":\"SHIPPED\"}", "status"},
            {PlaceOrderRequest.class, "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"sku\":\"B\","
                    + "\"quantity\":1,\"unitPriceMinor\":1}]}", "lines[0].sku"},
            {PlaceOrderRequest.class, "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,"
                    + "\"unitPriceMinor\":1},{\"sku\":\"B\",\"quantity\":1,\"quantity\":9,\"unitPriceMinor\":1}]}",
                "lines[1].quantity"},
            {PlaceOrderRequest.class, "{\"customerId\":\"c\",\"customerId\":\"d\",\"currency\":\"EUR\",\"lines\":[]}",
                "customerId"},
            {PlaceOrderRequest.class, "{\"lines\":[],\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[]}", "lines"}};
        for (Object[] bad : cases) {
            String body = (String) bad[1];
            assertThatThrownBy(() -> RequestBodies.read(body.getBytes(StandardCharsets.UTF_8), (Class<?>) bad[0]))
                    .as(body).isInstanceOfSatisfying(ApiProblemException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_BODY);
                        assertThat(e.getMessage()).contains("Duplicate", "(at " + bad[2] + ")");
                    });
        }
    }

    @Test
    void aSyntaxErrorInsideALine_isAMalformedBody_notAFieldProblem() {
        byte[] body = "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\": }]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RequestBodies.read(body, PlaceOrderRequest.class))
                .isInstanceOfSatisfying(ApiProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_BODY))
                .hasMessageContaining("(at lines[0].sku)");
    }

    @Test
    void aNumberOutOfRange_staysAValidationProblemOfItsField() {
        byte[] body = "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":99999999999,"
                .concat("\"unitPriceMinor\":1}]}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RequestBodies.read(body, PlaceOrderRequest.class))
                .isInstanceOfSatisfying(ApiProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.VALIDATION))
                .hasMessageStartingWith("lines[0].quantity: ");
    }
}
