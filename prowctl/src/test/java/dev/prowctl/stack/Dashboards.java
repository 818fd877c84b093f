package dev.prowctl.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.testing.TestEnv;

/** The dashboards of {@code dashboards/}, their panel queries and Grafana's variable substitution for InfluxQL. */
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
     * The query as Grafana's InfluxDB datasource sends it with every variable at "All" (its {@code allValue}, or
     * {@code .*}), text boxes at their default, the time range {@code fromMs..toMs} and a 1 h interval.
     */
    static String substitute(String dashboardFile, String influxql, long fromMs, long toMs) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("timeFilter", "time >= " + fromMs + "ms and time <= " + toMs + "ms");
        values.put("__timeFilter", values.get("timeFilter"));
        values.put("__interval", "1h");
        values.put("interval", "1h");
        values.put("__interval_ms", "3600000");
        values.put("__from", String.valueOf(fromMs));
        values.put("__to", String.valueOf(toMs));
        for (JsonNode variable : read(dir().resolve(dashboardFile)).path("templating").path("list")) {
            String value = switch (variable.path("type").asText()) {
                case "textbox", "constant" -> variable.path("query").asText();
                default -> variable.path("includeAll").asBoolean()
                        ? variable.path("allValue").asText(".*")
                        : variable.path("current").path("value").asText();
            };
            values.put(variable.path("name").asText(), value);
        }
        String result = influxql;
        List<String> names = values.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) {
            String value = values.get(name);
            result = result.replace("${" + name + "}", value).replace("[[" + name + "]]", value)
                    .replace("$" + name, value);
        }
        return result;
    }
}
