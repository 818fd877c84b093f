package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.testing.InfluxServer;

/**
 * Runs every panel query and every template-variable query of {@code dashboards/}, as Grafana would send it, against
 * a real influxd holding scraped runs: a query error or an empty answer fails.
 */
@ExtendWith(InfluxServer.PerClass.class)
class DashboardQueriesTest {

    private static final String DB = "prow";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static InfluxServer influx;
    private static long fromMs;
    private static long toMs;

    @BeforeAll
    static void loadInflux(InfluxServer server) throws IOException, InterruptedException {
        influx = server;
        influx.createDatabase(DB);
        loadScrapedData(influx, DB);
        // the time picker spans the data with an hour to spare on each side
        fromMs = pointTime("first") / 1_000_000 - 3_600_000;
        toMs = pointTime("last") / 1_000_000 + 3_600_000;
    }

    /**
     * The data the dashboards are checked against: what {@code prowctl scrape -o influx} writes for the runs of
     * periodic, presubmit and rehearsal jobs on several OpenShift versions.
     */
    static void loadScrapedData(InfluxServer influx, String db) throws IOException, InterruptedException {
        String lines;
        try (InputStream in = DashboardQueriesTest.class.getResourceAsStream("/stack/scraped-runs.lp")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponse<String> response = influx.write(db, lines);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    /**
     * Runs a query and returns InfluxDB's answer, failing on an HTTP error or an {@code error} member of the
     * answer or its statement result. (InfluxServer.query would also reject data holding the text "error", such
     * as runs in state error.)
     */
    private static JsonNode query(String influxql) throws IOException, InterruptedException {
        URI uri = URI.create(influx.url() + "/query?epoch=ns&db=" + DB + "&q="
                + URLEncoder.encode(influxql, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        String error = answer.path("error").asText(answer.at("/results/0/error").asText(""));
        assertThat(response.statusCode()).as(influxql + " -> " + response.body()).isEqualTo(200);
        assertThat(error).as(influxql + " -> InfluxDB error").isEmpty();
        return answer;
    }

    private static long pointTime(String selector) throws IOException, InterruptedException {
        JsonNode answer = query("SELECT " + selector + "(\"build_id\") FROM \"build\"");
        return answer.at("/results/0/series/0/values/0/0").asLong();
    }

    static List<Dashboards.Query> panelQueries() {
        return Dashboards.panelQueries();
    }

    static List<Dashboards.Query> variableQueries() {
        return Dashboards.variableQueries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("panelQueries")
    void panelQueryAnswersWithData(Dashboards.Query query) throws IOException, InterruptedException {
        assertReturnsData(query);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variableQueries")
    void variableQueryAnswersWithValues(Dashboards.Query query) throws IOException, InterruptedException {
        assertReturnsData(query);
    }

    /** A job regex typed into the text box and two OpenShift versions picked: what a user narrows down to. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("panelQueries")
    void panelQueryAnswersForATypedJobRegexAndSeveralVersions(Dashboards.Query query)
            throws IOException, InterruptedException {
        Map<String, Object> selections = query.dashboard().equals("prow-overview.json")
                ? Map.of("job", "oadp-operator.*e2e", "variant", List.of("4.14", "4.15"))
                : Map.of("job", "oadp-operator.*e2e");
        assertReturnsData(query, selections);
    }

    private static void assertReturnsData(Dashboards.Query query) throws IOException, InterruptedException {
        assertReturnsData(query, Map.of());
    }

    private static void assertReturnsData(Dashboards.Query query, Map<String, Object> selections)
            throws IOException, InterruptedException {
        String influxql = Dashboards.substitute(query.dashboard(), query.influxql(), fromMs, toMs, selections);
        assertThat(influxql).as("every macro and variable substituted").doesNotContainPattern("\\$[A-Za-z_{]")
                .doesNotContain("[[");
        JsonNode answer = query(influxql);
        JsonNode series = answer.at("/results/0/series");
        assertThat(series.isArray() && series.size() > 0).as(influxql + " -> " + answer).isTrue();
        assertThat(series.get(0).path("values").size()).as(influxql + " -> " + answer).isPositive();
    }

    @Test
    void theDashboardsHaveQueriesToCheck() {
        assertThat(Dashboards.files()).hasSize(3);
        assertThat(panelQueries()).hasSizeGreaterThan(15);
        assertThat(variableQueries()).extracting(Dashboards.Query::where)
                .contains("variable repo", "variable type", "variable variant", "variable pr");
    }

    @Test
    void aSelectionWithoutDataGivesAnEmptyAnswerNotAnError() throws IOException, InterruptedException {
        // guards the check above: the same queries do come back empty when nothing matches
        String influxql = Dashboards.substitute("prow-overview.json",
                "SELECT count(\"build_id\") FROM \"build\" WHERE \"job_name\" =~ /no-such-job/ AND $timeFilter",
                fromMs, toMs);
        assertThat(query(influxql).at("/results/0/series").isMissingNode()).isTrue();
    }

    @Test
    void aBrokenQueryIsReportedAsAnError() {
        // guards query(): an InfluxQL error must fail, not read as "no data"
        // (duration is an InfluxQL keyword: unquoted, it is a syntax error)
        assertThatThrownBy(() -> query("SELECT mean(duration) FROM \"build\""))
                .isInstanceOf(AssertionError.class).hasMessageContaining("SELECT mean(duration)");
    }
}
