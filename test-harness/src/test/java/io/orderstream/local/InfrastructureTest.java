package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.local.Infrastructure.Source;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfrastructureTest {

    @Test
    void addressesFromTheEnvironment_winOverEverything() {
        Map<String, String> env = Map.of(Infrastructure.KAFKA_ENV, "broker:9092",
                Infrastructure.DB_URL_ENV, "jdbc:postgresql://db/orders", Infrastructure.INFRA_ENV, "testcontainers");

        assertThat(Infrastructure.kafka(env, () -> true)).isEqualTo(Source.ENVIRONMENT);
        assertThat(Infrastructure.postgres(env, () -> true)).isEqualTo(Source.ENVIRONMENT);
    }

    @Test
    void testcontainers_whenAskedForAndDockerAnswers() {
        Map<String, String> env = Map.of(Infrastructure.INFRA_ENV, "testcontainers");

        assertThat(Infrastructure.kafka(env, () -> true)).isEqualTo(Source.TESTCONTAINERS);
        assertThat(Infrastructure.postgres(env, () -> true)).isEqualTo(Source.TESTCONTAINERS);
    }

    @Test
    void testcontainersAskedFor_withoutDocker_failsWithAClearMessage() {
        Map<String, String> env = Map.of(Infrastructure.INFRA_ENV, "testcontainers");

        assertThatThrownBy(() -> Infrastructure.kafka(env, () -> false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Docker engine");
    }

    @Test
    void embedded_byDefault_evenWhereDockerExists() {
        assertThat(Infrastructure.kafka(Map.of(), () -> true)).isEqualTo(Source.EMBEDDED);
        assertThat(Infrastructure.postgres(Map.of(Infrastructure.KAFKA_ENV, "broker:9092"), () -> true))
                .isEqualTo(Source.EMBEDDED);
        assertThat(Infrastructure.kafka(Map.of(Infrastructure.INFRA_ENV, "embedded"), () -> true))
                .isEqualTo(Source.EMBEDDED);
    }

    @Test
    void unknownChoice_isRefused() {
        assertThatThrownBy(() -> Infrastructure.kafka(Map.of(Infrastructure.INFRA_ENV, "dokker"), () -> true))
                .hasMessageContaining("'testcontainers' or 'embedded'");
    }
}
