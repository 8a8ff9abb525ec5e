package io.orderstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderKeyTest {

    /** Characters on both sides of every boundary of the two id classes, and some beyond ASCII. */
    private static final String ALPHABET = "aAzZ09/.:_-@ `{[~é\u00e9\u0130\uff10 \t";

    @Test
    void theCheckedIdsAreExactlyThoseThePublishedPatternsDescribe() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int length = random.nextInt(70);
            StringBuilder id = new StringBuilder();
            for (int c = 0; c < length; c++) {
                id.append(random.nextInt(4) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                        : (char) ('a' + random.nextInt(26)));
            }
            String text = id.toString();
            assertThat(OrderKey.isValidTenantId(text)).as("tenant id %s", text)
                    .isEqualTo(OrderKey.TENANT_ID.matcher(text).matches());
            assertThat(OrderKey.isValidOrderId(text)).as("order id %s", text)
                    .isEqualTo(OrderKey.ORDER_ID.matcher(text).matches());
        }
    }

    @Test
    void lengthsAndFirstCharacters() {
        assertThat(OrderKey.isValidOrderId("a".repeat(64))).isTrue();
        assertThat(OrderKey.isValidOrderId("a".repeat(65))).isFalse();
        assertThat(OrderKey.isValidOrderId("")).isFalse();
        assertThat(OrderKey.isValidOrderId(null)).isFalse();
        assertThat(OrderKey.isValidOrderId("-a")).isFalse();
        assertThat(OrderKey.isValidOrderId("a:b")).isTrue();
        assertThat(OrderKey.isValidTenantId("a:b")).isFalse();
        assertThatThrownBy(() -> new OrderKey("acme", "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid order id");
        assertThatThrownBy(() -> new OrderKey("ac/me", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid tenant id");
    }
}
