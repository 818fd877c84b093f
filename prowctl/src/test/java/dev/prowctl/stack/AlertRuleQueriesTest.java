package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.testing.InfluxServer;

/**
 * Runs each provisioned alert rule (grafana/provisioning/alerting/rules.yaml, interpolated as Grafana loads it,
 * {@code $timeFilter} replaced as Grafana's InfluxDB backend does) against a real influxd holding runs built so that
 * exactly one job is failing, one is flaky and, in a second database, the scraper has gone quiet.
 */
@ExtendWith(InfluxServer.PerClass.class)
class AlertRuleQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant NOW = Instant.now();

    private static InfluxServer influx;

    @BeforeAll
    static void loadInflux(InfluxServer server) throws IOException, InterruptedException {
        influx = server;
        List<String> all = runs();
        influx.createDatabase("prow");
        write("prow", all);
        // the same runs without the last 3 hours: the scraper stopped
        influx.createDatabase("quiet");
        write("quiet", all.stream().filter(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))
                < NOW.minus(Duration.ofHours(3)).toEpochMilli() * 1_000_000).toList());
    }

    /** Runs as `prowctl scrape -o influx` writes them (the fields the rules read), newest last per job. */
    private static List<String> runs() {
        List<String> lines = new ArrayList<>();
        // newest 3 runs that are not flakes all failed (a flake between them does not count)
        job(lines, "failing", Map.of(96, "failure", 72, "failure", 48, "flake", 30, "failure"));
        job(lines, "recovered", Map.of(50, "failure", 40, "failure", 30, "success"));
        job(lines, "two-failures", Map.of(40, "failure", 30, "failure"));
        job(lines, "aborted-between", Map.of(60, "failure", 50, "aborted", 40, "failure", 30, "failure"));
        // 24 h: 6 runs, 2 flakes (33 %)
        job(lines, "flaky", Map.of(20, "flake", 16, "success", 12, "flake", 8, "success", 4, "success", 1, "success"));
        // 24 h: 2 runs, 1 flake: too few runs to judge
        job(lines, "few-runs", Map.of(10, "flake", 5, "success"));
        // 24 h: 6 runs, 1 flake (17 %)
        job(lines, "low-rate", Map.of(22, "flake", 18, "success", 14, "success", 10, "success", 6, "success",
                2, "success"));
        return lines;
    }

    private static void job(List<String> lines, String name, Map<Integer, String> statesByHoursAgo) {
        Map<String, Integer> stateInt = Map.of("success", 0, "failure", 2, "aborted", 3, "flake", 4);
        statesByHoursAgo.forEach((hoursAgo, state) -> {
            long ns = NOW.minus(Duration.ofHours(hoursAgo)).toEpochMilli() * 1_000_000;
            lines.add("build,job_name=periodic-" + name + ",type=periodic,rehearsal=false build_id=\"" + ns
                    + "\",state=\"" + state + "\",state_int=" + stateInt.get(state) + "i,duration=60i " + ns);
        });
    }

    private static void write(String db, List<String> lines) throws IOException, InterruptedException {
        HttpResponse<String> response = influx.write(db, String.join("\n", lines));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static AlertRuleEvaluation.Datasource influxDatasource(String db) {
        return (influxql, fromSeconds) -> {
            long toMs = NOW.toEpochMilli();
            String sent = GrafanaInterpolation.backend(influxql, toMs - fromSeconds * 1000, toMs, "1m", 60_000);
            assertThat(sent).as("a Grafana macro left in " + sent).doesNotContain("$");
            URI uri = URI.create(influx.url() + "/query?epoch=ms&db=" + db + "&q="
                    + URLEncoder.encode(sent, StandardCharsets.UTF_8));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            assertThat(response.statusCode()).as(sent + " -> " + response.body()).isEqualTo(200);
            assertThat(answer.at("/results/0/error").asText("")).as(sent + " -> InfluxDB error").isEmpty();
            Map<String, Double> series = new LinkedHashMap<>();
            for (JsonNode s : answer.at("/results/0/series")) {
                JsonNode values = s.path("values");
                String job = s.path("tags").path("job_name").asText("");
                series.put(job.isEmpty() ? "" : "job_name=" + job, values.get(values.size() - 1).get(1).asDouble());
            }
            return series;
        };
    }

    private static JsonNode rule(String title, Map<String, String> env) {
        for (JsonNode rule : AlertProvisioning.load("rules.yaml", env).at("/groups/0/rules")) {
            if (rule.path("title").asText().equals(title)) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + title);
    }

    private static AlertRuleEvaluation.Result evaluate(String title, String db) throws Exception {
        return evaluate(title, db, AlertProvisioning.composeDefaults());
    }

    private static AlertRuleEvaluation.Result evaluate(String title, String db, Map<String, String> env)
            throws Exception {
        return AlertRuleEvaluation.evaluate(rule(title, env), influxDatasource(db));
    }

    @Test
    void prowJobFailingFiresForTheJobWhoseNewestThreeRealRunsFailed() throws Exception {
        var result = evaluate("ProwJobFailing", "prow");
        assertThat(result.noData()).isFalse();
        assertThat(result.firing()).containsExactly("job_name=periodic-failing");
    }

    @Test
    void prowJobFailingFollowsItsThresholdVariable() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(AlertProvisioning.composeDefaults());
        env.put("PROWCTL_ALERT_FAILING_RUNS", "2");
        assertThat(evaluate("ProwJobFailing", "prow", env).firing()).containsExactly(
                "job_name=periodic-aborted-between", "job_name=periodic-failing", "job_name=periodic-two-failures");
    }

    @Test
    void prowJobFlakeRateHighFiresForTheJobFlakingAboveTheRateWithEnoughRuns() throws Exception {
        var result = evaluate("ProwJobFlakeRateHigh", "prow");
        assertThat(result.noData()).isFalse();
        assertThat(result.firing()).containsExactly("job_name=periodic-flaky");
    }

    @Test
    void prowJobFlakeRateHighFollowsItsVariables() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(AlertProvisioning.composeDefaults());
        env.put("PROWCTL_ALERT_FLAKE_RATE", "0.1");
        env.put("PROWCTL_ALERT_FLAKE_MIN_RUNS", "2");
        assertThat(evaluate("ProwJobFlakeRateHigh", "prow", env).firing()).containsExactly(
                "job_name=periodic-few-runs", "job_name=periodic-flaky", "job_name=periodic-low-rate");
    }

    @Test
    void prowctlNoDataIsQuietWhileRunsArriveAndFiresWhenTheyStop() throws Exception {
        var running = evaluate("ProwctlNoData", "prow");
        assertThat(running.noData()).isFalse();
        assertThat(running.firing()).isEmpty();
        JsonNode rule = rule("ProwctlNoData", AlertProvisioning.composeDefaults());
        var quiet = AlertRuleEvaluation.evaluate(rule, influxDatasource("quiet"));
        assertThat(quiet.noData()).isTrue();
        // NoData is the alert itself for this rule; for the per-job rules it means "nothing wrong"
        assertThat(rule.path("noDataState").asText()).isEqualTo("Alerting");
        assertThat(rule("ProwJobFailing", AlertProvisioning.composeDefaults()).path("noDataState").asText())
                .isEqualTo("OK");
    }
}
