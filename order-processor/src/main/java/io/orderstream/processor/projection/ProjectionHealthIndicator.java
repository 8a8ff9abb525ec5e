package io.orderstream.processor.projection;

import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The projector's lag in {@code /actuator/health}: how many events of the log are not yet in
 * PostgreSQL, per partition this instance projects. A lag is a reason to look (and to alert, see
 * deploy/prometheus/alerts.yml), not to restart the process, so the status stays UP.
 */
@Component("projection")
class ProjectionHealthIndicator implements HealthIndicator {

    private final ProjectionLag lag;

    ProjectionHealthIndicator(ProjectionLag lag) {
        this.lag = lag;
    }

    @Override
    public Health health() {
        Map<String, Long> partitions = lag.byPartition();
        return Health.up().withDetail("lag", partitions.values().stream().mapToLong(Long::longValue).sum())
                .withDetail("partitions", partitions).build();
    }
}
