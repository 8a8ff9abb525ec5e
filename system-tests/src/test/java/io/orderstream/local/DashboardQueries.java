package io.orderstream.local;

import io.orderstream.events.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import tools.jackson.databind.JsonNode;

/**
 * The queries the dashboard and the alert rules run, as queries that return a series on a system
 * that works, whether or not it is healthy:
 *
 * <ul>
 *   <li>a dashboard target's {@code expr}, with Grafana's variables replaced: {@code $__rate_interval}
 *       by 1m, {@code $__interval} by 15s, {@code $__range} by 5m, any other variable (a tenant, an
 *       instance) by {@code .*}, to be used in {@code =~} matchers;</li>
 *   <li>a recording rule's {@code expr}, and the series it records;</li>
 *   <li>an alert's {@code expr}: each operand of a top-level {@code or} on its own; of a comparison
 *       ({@code x > 0.8}), which is empty while the alert is quiet, its left-hand side {@code x};
 *       of {@code absent(x)}, which is empty while {@code x} exists, {@code x}.</li>
 * </ul>
 */
final class DashboardQueries {

    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "order-stream.json");

    private DashboardQueries() {
    }

    /** Each query, named by where it comes from. */
    static Map<String, String> all() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode dashboard = Json.MAPPER.readTree(Files.readString(DASHBOARD));
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("dashboard '" + panel.get("title").asString() + "' " + target.get("refId").asString(),
                        withoutGrafanaVariables(target.get("expr").asString()));
            }
        }
        for (Map<String, Object> rule : PrometheusTools.rules()) {
            String expr = rule.get("expr").toString().replaceAll("\\s+", " ").trim();
            if (rule.containsKey("record")) {
                queries.put("recording rule " + rule.get("record"), expr);
                queries.put("recorded series " + rule.get("record"), rule.get("record").toString());
            } else {
                List<String> sides = alertSides(expr);
                for (int i = 0; i < sides.size(); i++) {
                    queries.put("alert " + rule.get("alert") + " #" + (i + 1), sides.get(i));
                }
            }
        }
        return queries;
    }

    static String withoutGrafanaVariables(String expr) {
        return expr.replaceAll("\\$\\{?__rate_interval}?", "1m").replaceAll("\\$\\{?__interval}?", "15s")
                .replaceAll("\\$\\{?__range}?", "5m").replaceAll("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?", ".*");
    }

    /** The queries of an alert expression that return a series also while the alert is quiet. */
    static List<String> alertSides(String expr) {
        List<String> sides = new ArrayList<>();
        for (String operand : topLevelSplit(expr, " or ")) {
            String side = operand.trim();
            int comparison = topLevelComparison(side);
            if (comparison >= 0) {
                side = side.substring(0, comparison).trim();
            }
            if (side.startsWith("absent(") && side.endsWith(")")) {
                side = side.substring("absent(".length(), side.length() - 1).trim();
            }
            sides.add(unwrap(side));
        }
        return sides;
    }

    private static String unwrap(String expr) {
        String side = expr;
        while (side.startsWith("(") && side.endsWith(")") && closing(side, 0) == side.length() - 1) {
            side = side.substring(1, side.length() - 1).trim();
        }
        return side;
    }

    private static int closing(String expr, int open) {
        int depth = 0;
        for (int i = open; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"') {
                i = expr.indexOf('"', i + 1);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> topLevelSplit(String expr, String separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int at = topLevel(expr, 0, i -> expr.startsWith(separator, i)); at >= 0;
                at = topLevel(expr, start, i -> expr.startsWith(separator, i))) {
            parts.add(expr.substring(start, at));
            start = at + separator.length();
        }
        parts.add(expr.substring(start));
        return parts;
    }

    /** Where a comparison operator begins ({@code =~} and {@code !~} are matchers, inside braces), or -1. */
    private static int topLevelComparison(String expr) {
        return topLevel(expr, 0, i -> expr.charAt(i) == '<' || expr.charAt(i) == '>'
                || ((expr.charAt(i) == '=' || expr.charAt(i) == '!') && expr.startsWith("=", i + 1)));
    }

    /** The first index from {@code from} on, outside strings, parentheses, braces and brackets, where {@code found} holds; or -1. */
    private static int topLevel(String expr, int from, IntPredicate found) {
        int depth = 0;
        for (int i = from; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"') {
                i = expr.indexOf('"', i + 1);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (depth == 0 && found.test(i)) {
                return i;
            }
        }
        return -1;
    }
}
