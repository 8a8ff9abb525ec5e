package io.orderstream.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupReportTest {

    @Test
    void theDatabaseUrl_isLoggedWithoutItsQuery_whereCredentialsMayHide() {
        assertThat(StartupReport.withoutQuery("jdbc:postgresql://db:5432/orders?user=orders&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/orders");
        assertThat(StartupReport.withoutQuery("jdbc:postgresql://db/orders")).isEqualTo("jdbc:postgresql://db/orders");
        assertThat(StartupReport.withoutQuery(null)).isEqualTo("(none)");
    }
}
