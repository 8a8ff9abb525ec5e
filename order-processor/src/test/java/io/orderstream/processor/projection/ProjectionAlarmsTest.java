package io.orderstream.processor.projection;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProjectionAlarmsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProjectionAlarms alarms = new ProjectionAlarms(registry);

    @Test
    void unreadableRecords_areCountedAndRemembered_byTheirPosition_andLoggedWithoutTheirContent() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ProjectionAlarms.class);
        logger.addAppender(logs);
        try {
            for (int offset = 0; offset < 12; offset++) {
                alarms.unreadableEvent("orders.events.v1-3@" + offset,
                        new IllegalArgumentException("Unrecognized token 'secret-customer-data'"));
            }
        } finally {
            logger.detachAppender(logs);
        }

        assertThat(registry.get("orders.projection.unreadable.events").counter().count()).isEqualTo(12);
        assertThat(alarms.unreadableEvents()).isEqualTo(12);
        // the last ten, for health
        assertThat(alarms.lastUnreadable()).hasSize(10).startsWith("orders.events.v1-3@2")
                .endsWith("orders.events.v1-3@11");
        assertThat(logs.list).hasSize(12).extracting(ILoggingEvent::getFormattedMessage)
                .allSatisfy(line -> assertThat(line).contains("orders.events.v1-3@").contains("IllegalArgumentException")
                        .doesNotContain("secret"));
    }
}
