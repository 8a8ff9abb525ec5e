package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which query of an alert returns a series while the alert is quiet (DashboardQueriesIT runs them). */
class DashboardQueriesTest {

    @Test
    void aComparison_isQueriedByItsLeftHandSide() {
        assertThat(DashboardQueries.alertSides("sum(orders_projection_lag_records) > scalar(orders:projection_lag_threshold)"))
                .containsExactly("sum(orders_projection_lag_records)");
        assertThat(DashboardQueries.alertSides(
                "histogram_quantile(0.95, sum by (le) (rate(x_bucket{le!=\"1\"}[5m]))) >= scalar(t)"))
                .containsExactly("histogram_quantile(0.95, sum by (le) (rate(x_bucket{le!=\"1\"}[5m])))");
        assertThat(DashboardQueries.alertSides("up{job=\"a\"} == 0")).containsExactly("up{job=\"a\"}");
        assertThat(DashboardQueries.alertSides("orders:idempotency_hit_rate != 1")).containsExactly("orders:idempotency_hit_rate");
    }

    @Test
    void eachOperandOfOr_isQueried_andAbsentByWhatItLooksFor() {
        assertThat(DashboardQueries.alertSides("orders_streams_running < 1 or absent(orders_streams_running)"))
                .containsExactly("orders_streams_running", "orders_streams_running");
        assertThat(DashboardQueries.alertSides(
                "increase(p_total[10m]) > 0 or (p_total unless p_total offset 10m)"))
                .containsExactly("increase(p_total[10m])", "p_total unless p_total offset 10m");
        // "or" inside a string or a call is not an operand
        assertThat(DashboardQueries.alertSides("max(a{x=\"this or that\"}) > 0"))
                .containsExactly("max(a{x=\"this or that\"})");
    }

    @Test
    void grafanaVariables_areReplaced() {
        assertThat(DashboardQueries.withoutGrafanaVariables(
                "sum(rate(a{tenant=~\"$tenant\",instance=~\"${instance}\"}[$__rate_interval])) + rate(b[${__interval}])"))
                .isEqualTo("sum(rate(a{tenant=~\".*\",instance=~\".*\"}[1m])) + rate(b[15s])");
    }
}
