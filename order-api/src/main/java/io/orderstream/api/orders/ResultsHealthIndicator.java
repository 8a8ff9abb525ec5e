package io.orderstream.api.orders;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code results} at {@code /actuator/health}: UP while the API reads command results, DOWN while
 * its reader fails and starts again. An API that cannot read results answers every command 202; it
 * must not look healthy meanwhile.
 */
@Component("results")
class ResultsHealthIndicator implements HealthIndicator {

    private final ResultReader reader;

    ResultsHealthIndicator(ResultReader reader) {
        this.reader = reader;
    }

    @Override
    public Health health() {
        if (reader.isReading()) {
            return Health.up().build();
        }
        String failure = reader.lastFailure();
        return failure == null ? Health.down().build() : Health.down().withDetail("failure", failure).build();
    }
}
