package io.orderstream.processor.projection;

import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The projector in {@code /actuator/health}: its lag (events of the log not yet in PostgreSQL, per
 * partition this instance projects), the events set aside, the partitions where PostgreSQL is ahead
 * of the log, and redelivered events that found another event at their sequence. None of these is
 * cured by restarting the process, so the status stays UP (a liveness probe must not restart-loop the
 * processor); they are details to alert on (deploy/prometheus/alerts.yml) and repair with orders-ops.
 */
@Component("projection")
class ProjectionHealthIndicator implements HealthIndicator {

    private final ProjectionLag lag;
    private final ProjectionAlarms alarms;

    ProjectionHealthIndicator(ProjectionLag lag, ProjectionAlarms alarms) {
        this.lag = lag;
        this.alarms = alarms;
    }

    @Override
    public Health health() {
        Map<String, Long> partitions = lag.byPartition();
        Health.Builder health = Health.up()
                .withDetail("lag", partitions.values().stream().mapToLong(Long::longValue).sum())
                .withDetail("partitions", partitions)
                .withDetail("setAside", alarms.setAside());
        if (alarms.setAside() > 0) {
            health.withDetail("setAsideHint", "events the projector could not write: orders-ops projection verify "
                    + "lists them, orders-ops projection retry applies them once the cause is fixed");
        }
        Map<String, String> ahead = alarms.ahead();
        if (!ahead.isEmpty()) {
            health.withDetail("aheadOfLog", ahead);
        }
        if (alarms.differentEvents() > 0) {
            health.withDetail("differentEvents", alarms.differentEvents())
                    .withDetail("lastDifferentEvents", alarms.lastDifferent());
        }
        if (alarms.unreadableEvents() > 0) {
            health.withDetail("unreadableEvents", alarms.unreadableEvents())
                    .withDetail("lastUnreadableEvents", alarms.lastUnreadable());
        }
        return health.build();
    }
}
