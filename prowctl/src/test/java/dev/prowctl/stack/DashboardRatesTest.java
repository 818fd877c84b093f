package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.testing.InfluxServer;

/**
 * The pass, failure and flake rates the dashboards show, worked out as Grafana would from a real influxd, for
 * selections where the rate's numerator matches no run. InfluxQL answers a {@code count()} over no rows with no
 * series at all (not 0), so a rate divided in Grafana from two queries loses its numerator there and shows the
 * run count instead.
 */
@ExtendWith(InfluxServer.PerClass.class)
class DashboardRatesTest {

    private static final String DB = "prow";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long FROM_MS = 0;
    private static final long TO_MS = 4_000_000_000_000L;

    /** Two jobs that never pass (state failure, state_int 2): a periodic and a presubmit on pull request 7. */
    private static final String ALWAYS_FAILING = """
            build,job_name=periodic-ci-example-always-fails,type=periodic,rehearsal=false,org=example,repo=example,\
            base_ref=main,target=e2e,variant=4.99 build_id="1",state="failure",state_int=2i,duration=60i 1795140180000000001
            build,job_name=periodic-ci-example-always-fails,type=periodic,rehearsal=false,org=example,repo=example,\
            base_ref=main,target=e2e,variant=4.99 build_id="2",state="failure",state_int=2i,duration=60i 1795150180000000002
            build,job_name=pull-ci-example-always-fails,type=presubmit,rehearsal=false,org=example,repo=example,\
            base_ref=main,pull_request=7,target=e2e,variant=4.99 build_id="3",state="failure",state_int=2i,\
            duration=60i 1795160180000000003
            """;

    private static InfluxServer influx;

    @BeforeAll
    static void loadInflux(InfluxServer server) throws IOException, InterruptedException {
        influx = server;
        influx.createDatabase(DB);
        DashboardQueriesTest.loadScrapedData(influx, DB);
        HttpResponse<String> written = influx.write(DB, ALWAYS_FAILING);
        assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
    }

    @Test
    void jobsThatNeverPassShowAPassRateOfZero() throws IOException, InterruptedException {
        int checked = checkRates(Map.of("job", "example-always-fails"),
                Map.of("pass rate", 0.0, "failure rate", 1.0, "flake rate", 0.0));
        assertThat(checked).as("rate panels that showed a row").isGreaterThanOrEqualTo(8);
    }

    @Test
    void jobsThatNeverFailOrFlakeShowZeroFailureAndFlakeRates() throws IOException, InterruptedException {
        int checked = checkRates(Map.of("job", "oadp-operator-master-unit-test"),
                Map.of("pass rate", 1.0, "failure rate", 0.0, "flake rate", 0.0));
        assertThat(checked).as("rate panels that showed a row").isGreaterThanOrEqualTo(5);
    }

    @Test
    void aSelectionWithoutRunsSaysSoInsteadOfANumber() throws IOException, InterruptedException {
        int checked = checkRates(Map.of("job", "no-such-job"), Map.of());
        assertThat(checked).as("no rate panel shows a row for no runs").isZero();
        for (String file : List.of("prow-overview.json", "prow-periodics.json", "prow-pull-requests.json")) {
            for (JsonNode panel : ratePanels(file)) {
                assertThat(panel.at("/fieldConfig/defaults/noValue").asText()).as(file + " / " + title(panel))
                        .isEqualTo("no runs");
            }
        }
    }

    /** Checks every rate cell of every rate panel against {@code expected}; returns how many panels had rows. */
    private static int checkRates(Map<String, Object> selections, Map<String, Double> expected)
            throws IOException, InterruptedException {
        int panelsWithRows = 0;
        for (String file : List.of("prow-overview.json", "prow-periodics.json", "prow-pull-requests.json")) {
            for (JsonNode panel : ratePanels(file)) {
                String where = file + " / " + title(panel);
                List<Map<String, Object>> rows = display(file, panel, selections);
                if (!rows.isEmpty()) {
                    panelsWithRows++;
                }
                for (Map<String, Object> row : rows) {
                    for (String field : rateFields(panel)) {
                        assertThat(row).as(where + ": Grafana shows " + row + ", without the " + field)
                                .containsKey(field);
                        assertThat(((Number) row.get(field)).doubleValue()).as(where + " " + field + " in " + row)
                                .isEqualTo(expected.get(field.toLowerCase(java.util.Locale.ROOT)));
                    }
                }
            }
        }
        return panelsWithRows;
    }

    /** Panels showing a share of runs: a stat in percentunit, or a table column overridden to percentunit. */
    private static List<JsonNode> ratePanels(String file) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : Dashboards.panels(Dashboards.read(Dashboards.dir().resolve(file)))) {
            if (!rateFields(panel).isEmpty()) {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** The displayed fields that are rates: the stat's title, or the table columns in percentunit. */
    private static List<String> rateFields(JsonNode panel) {
        List<String> fields = new ArrayList<>();
        if (panel.path("type").asText().equals("stat")
                && panel.at("/fieldConfig/defaults/unit").asText().equals("percentunit")) {
            fields.add(title(panel));
        }
        for (JsonNode override : panel.at("/fieldConfig/overrides")) {
            for (JsonNode property : override.path("properties")) {
                if (property.path("id").asText().equals("unit") && property.path("value").asText().equals("percentunit")) {
                    fields.add(override.at("/matcher/options").asText());
                }
            }
        }
        return fields;
    }

    private static String title(JsonNode panel) {
        return panel.path("title").asText();
    }

    /**
     * The rows the panel shows: each target's series as rows keyed by their tags, joined on those tags (as
     * joinByField on Time and merge do here), then the calculateField transformations as Grafana applies them:
     * no field at all when an operand field is missing from the frame, JavaScript arithmetic (null counts as 0)
     * otherwise, and with replaceFields only the calculated field left.
     */
    private static List<Map<String, Object>> display(String file, JsonNode panel, Map<String, Object> selections)
            throws IOException, InterruptedException {
        Map<Map<String, String>, Map<String, Object>> rows = new LinkedHashMap<>();
        List<String> frameFields = new ArrayList<>();
        for (JsonNode target : panel.path("targets")) {
            String influxql = Dashboards.substitute(file, target.path("query").asText(), FROM_MS, TO_MS, selections);
            for (JsonNode series : query(influxql).at("/results/0/series")) {
                Map<String, String> tags = new TreeMap<>();
                series.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
                Map<String, Object> row = rows.computeIfAbsent(tags, key -> new LinkedHashMap<String, Object>(key));
                JsonNode columns = series.path("columns");
                JsonNode values = series.at("/values/0");
                for (int i = 1; i < columns.size(); i++) {
                    // a time-series target's alias names its one value field
                    String name = target.hasNonNull("alias") && columns.size() == 2 ? target.path("alias").asText()
                            : columns.get(i).asText();
                    row.put(name, values.get(i).isNumber() ? values.get(i).numberValue() : null);
                    if (!frameFields.contains(name)) {
                        frameFields.add(name);
                    }
                }
            }
        }
        for (JsonNode transformation : panel.path("transformations")) {
            JsonNode options = transformation.path("options");
            if (!transformation.path("id").asText().equals("calculateField")) {
                continue;
            }
            String left = options.at("/binary/left").asText();
            String right = options.at("/binary/right").asText();
            if (!frameFields.contains(left) || !frameFields.contains(right)) {
                continue;
            }
            assertThat(options.at("/binary/operator").asText()).isEqualTo("/");
            String alias = options.path("alias").asText();
            for (Map<String, Object> row : rows.values()) {
                double quotient = number(row.get(left)) / number(row.get(right));
                if (options.path("replaceFields").asBoolean()) {
                    row.keySet().removeIf(field -> !(row.get(field) instanceof String));
                }
                row.put(alias, quotient);
            }
            frameFields.add(alias);
        }
        return new ArrayList<>(rows.values());
    }

    private static double number(Object value) {
        return value == null ? 0 : ((Number) value).doubleValue();
    }

    private static JsonNode query(String influxql) throws IOException, InterruptedException {
        URI uri = URI.create(influx.url() + "/query?epoch=ns&db=" + DB + "&q="
                + URLEncoder.encode(influxql, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(influxql + " -> " + response.body()).isEqualTo(200);
        assertThat(answer.at("/results/0/error").asText("")).as(influxql + " -> InfluxDB error").isEmpty();
        return answer;
    }
}
