package dev.prowctl.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.testing.TestEnv;

/** The dashboards of {@code dashboards/}, their panel queries, and those queries as Grafana sends them. */
final class Dashboards {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One InfluxQL query of a panel target or a template variable. */
    record Query(String dashboard, String where, String influxql) {
        @Override
        public String toString() {
            return dashboard + " / " + where;
        }
    }

    private Dashboards() {
    }

    static Path dir() {
        return TestEnv.repoDir().resolve("dashboards");
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, including those nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(file.getFileName().toString(), panel.path("title").asText() + " / "
                            + target.path("refId").asText(), target.path("query").asText()));
                }
            }
        }
        return queries;
    }

    static List<Query> variableQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            for (JsonNode variable : read(file).path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    queries.add(new Query(file.getFileName().toString(), "variable " + variable.path("name").asText(),
                            variable.path("query").asText()));
                }
            }
        }
        return queries;
    }

    /**
     * The query as Grafana 12.2's InfluxDB datasource sends it with every variable at its saved selection (text
     * boxes at their default), the time range {@code fromMs..toMs} and a 1 h interval.
     */
    static String substitute(String dashboardFile, String influxql, long fromMs, long toMs) {
        return substitute(dashboardFile, influxql, fromMs, toMs, Map.of());
    }

    /** As {@link #substitute(String, String, long, long)}, with some variables set to other values. */
    static String substitute(String dashboardFile, String influxql, long fromMs, long toMs,
            Map<String, Object> selections) {
        Map<String, GrafanaInterpolation.Variable> variables = new LinkedHashMap<>();
        for (JsonNode variable : read(dir().resolve(dashboardFile)).path("templating").path("list")) {
            String name = variable.path("name").asText();
            Object value = selections.containsKey(name) ? selections.get(name) : saved(variable);
            List<String> options = new ArrayList<>();
            variable.path("options").forEach(option -> options.add(option.path("value").asText()));
            options.remove("$__all");
            variables.put(name, new GrafanaInterpolation.Variable(name, variable.path("multi").asBoolean(),
                    variable.path("includeAll").asBoolean(), variable.path("allValue").textValue(), value, options));
        }
        return GrafanaInterpolation.query(influxql, variables, fromMs, toMs, "1h", 3_600_000L);
    }

    /** The saved selection: a String, or a List of Strings for a multi-value variable. */
    private static Object saved(JsonNode variable) {
        JsonNode current = variable.path("current").path("value");
        if (variable.path("type").asText().equals("textbox") && current.isMissingNode()) {
            return variable.path("query").asText();
        }
        if (current.isArray()) {
            List<String> values = new ArrayList<>();
            current.forEach(value -> values.add(value.asText()));
            return values;
        }
        return current.asText();
    }
}
