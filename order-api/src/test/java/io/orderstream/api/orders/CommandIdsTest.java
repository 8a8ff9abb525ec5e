package io.orderstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandIdsTest {

    @Test
    void ids_areUniqueUuids_ofVersion8_andDifferBetweenInstances() {
        CommandIds one = new CommandIds();
        CommandIds other = new CommandIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            assertThat(seen.add(one.next())).isTrue();
            assertThat(seen.add(other.next())).isTrue();
        }
        UUID id = UUID.fromString(one.next());
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void consecutiveIds_doNotLookConsecutive() {
        CommandIds ids = new CommandIds();
        UUID first = UUID.fromString(ids.next());
        UUID second = UUID.fromString(ids.next());
        assertThat(Long.bitCount(first.getLeastSignificantBits() ^ second.getLeastSignificantBits()))
                .isGreaterThan(8);
    }
}
