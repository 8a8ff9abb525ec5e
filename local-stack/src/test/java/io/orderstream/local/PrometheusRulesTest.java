package io.orderstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules as Prometheus itself reads and evaluates them: {@code promtool check rules} on
 * deploy/prometheus/alerts.yml, and {@code promtool test rules} on alerts.test.yml beside it, which
 * gives every alert input series under which it fires and series under which it stays quiet.
 */
class PrometheusRulesTest {

    private static final Path RULE_TESTS = PrometheusTools.RULES.resolveSibling("alerts.test.yml");

    @Test
    void alertRules_areValid_forPromtool() throws Exception {
        String output = promtool("check", "rules", PrometheusTools.RULES.toString());

        assertThat(output).contains("SUCCESS: " + PrometheusTools.rules().size() + " rules found");
    }

    @Test
    void everyAlert_firesOnItsSeries_andStaysQuietOnOthers_inPromtoolsUnitTests() throws Exception {
        String output = promtool("test", "rules", RULE_TESTS.toString());

        assertThat(output).contains("SUCCESS");
    }

    /** A new alert without its tests fails here: each needs a case where it fires and one where it does not. */
    @Test
    void everyAlert_hasACaseThatFires_andOneThatStaysQuiet() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> rule : PrometheusTools.rules()) {
            if (rule.containsKey("alert")) {
                alerts.add(rule.get("alert").toString());
            }
        }
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Map<String, Object> test : ruleTests()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cases = (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of());
            for (Map<String, Object> evaluation : cases) {
                List<?> expected = (List<?>) evaluation.get("exp_alerts");
                (expected == null || expected.isEmpty() ? quiet : firing).add(evaluation.get("alertname").toString());
            }
        }

        assertThat(alerts).contains("IdempotencyHitRateLow", "IdempotencyLookupSlow", "ProjectionLagging",
                "ProjectionEventsSetAside", "ProjectionNotFromThisLog", "CommandsParkedInDlq", "StreamsNotRunning",
                "ResultReaderDown");
        assertThat(firing).as("alerts with a case where they fire").isEqualTo(alerts);
        assertThat(quiet).as("alerts with a case where they stay quiet").isEqualTo(alerts);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ruleTests() throws IOException {
        try (InputStream in = Files.newInputStream(RULE_TESTS)) {
            Map<String, Object> file = new Yaml().load(in);
            return (List<Map<String, Object>>) file.get("tests");
        }
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(PrometheusTools.require("promtool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
