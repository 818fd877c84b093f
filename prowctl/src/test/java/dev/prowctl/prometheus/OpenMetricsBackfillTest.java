package dev.prowctl.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.scraper.output.OpenMetrics;
import dev.prowctl.testing.Readiness;
import dev.prowctl.testing.TestEnv;

/**
 * The backfill path end to end: {@code prowctl scrape -o openmetrics} on the shared payload, {@code promtool tsdb
 * create-blocks-from openmetrics}, a real Prometheus on the blocks, and queries whose answers must be the payload's
 * runs by state, the 1-day rule's included.
 */
class OpenMetricsBackfillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static Process prometheus;
    private static String url;
    /** The runs of the payload, as {@code scrape -o json} prints them. */
    private static List<JsonNode> runs;

    @BeforeAll
    static void backfillAndStartPrometheus() throws Exception {
        Path promtool = PrometheusConfigTest.promtool();
        Path server = TestEnv.requireBinary("prometheus", "prometheus");
        String payload = TestEnv.sharedFile("fixtures/prow/prowjobs.json").toString();
        dir = Files.createTempDirectory("prowctl-backfill");

        CliRun history = CliRun.of("scrape", "--prowjobs-file", payload, "--job", "*", "--no-flakes", "-o",
                "openmetrics");
        assertThat(history.exitCode()).as(history.toString()).isEqualTo(ExitCodes.OK);
        Files.writeString(dir.resolve("history.om"), history.out());
        CliRun json = CliRun.of("scrape", "--prowjobs-file", payload, "--job", "*", "--no-flakes", "-o", "json");
        runs = new ArrayList<>();
        for (String line : json.out().lines().toList()) {
            runs.add(JSON.readTree(line));
        }
        assertThat(runs).hasSizeGreaterThan(3);

        // one block for the whole history: the default 2 h blocks make promtool re-read the file per block
        PrometheusConfigTest.Run blocks = PrometheusConfigTest.run(promtool, "tsdb", "create-blocks-from",
                "openmetrics", "--max-block-duration=8760h", dir.resolve("history.om").toString(),
                dir.resolve("data").toString());
        assertThat(blocks.exitCode()).as(blocks.output()).isZero();

        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
        int port = TestEnv.freePort();
        url = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(server.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Readiness.await("prometheus", prometheus, dir.resolve("prometheus.log"), Duration.ofSeconds(30),
                Readiness.answers(url + "/-/ready", 200));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            TestEnv.stop(prometheus);
        }
        if (dir != null) {
            TestEnv.deleteTree(dir);
        }
    }

    /** The end of the history: the first 5-minute step at or after the newest completion. */
    private static long historyEnd() {
        long newest = runs.stream().mapToLong(run -> end(run).getEpochSecond()).max().orElseThrow();
        long step = OpenMetrics.STEP.toSeconds();
        return (newest + step - 1) / step * step;
    }

    private static Instant end(JsonNode run) {
        return Instant.parse(run.path("end_time").asText());
    }

    /** An instant query's result as label value (of {@code by}) to number. */
    private static Map<String, Double> query(String promql, long time, String by) throws Exception {
        String uri = url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
                + time;
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : JSON.readTree(response.body()).path("data").path("result")) {
            values.put(sample.path("metric").path(by).asText(), sample.path("value").get(1).asDouble());
        }
        return values;
    }

    private static String ruleExpression(String record) throws IOException {
        for (JsonNode group : new YAMLMapper().readTree(TestEnv.repoDir().resolve("prometheus/rules/prowctl.yml")
                .toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("record").asText().equals(record)) {
                    return rule.path("expr").asText();
                }
            }
        }
        throw new AssertionError("no rule " + record);
    }

    @Test
    void theStoredCountersEqualThePayloadsRunsByState() throws Exception {
        Map<String, Double> expected = new TreeMap<>();
        runs.forEach(run -> expected.merge(run.path("state").asText(), 1.0, Double::sum));

        Map<String, Double> stored = query("sum by (state) (last_over_time(prowctl_job_runs_total[1000d]))",
                historyEnd(), "state");

        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void theOneDayRuleCountsEachJobsRunsOfThatDayExactly() throws Exception {
        String expression = ruleExpression("job_name_state:prowctl_job_runs:increase1d");
        long step = OpenMetrics.STEP.toSeconds();
        for (JsonNode run : runs) {
            String job = run.path("job").asText();
            long at = (end(run).getEpochSecond() + step - 1) / step * step;
            Map<String, Double> expected = new TreeMap<>();
            runs.stream().filter(other -> other.path("job").asText().equals(job))
                    .filter(other -> end(other).getEpochSecond() <= at
                            && end(other).getEpochSecond() > at - Duration.ofDays(1).toSeconds())
                    .forEach(other -> expected.merge(other.path("state").asText(), 1.0, Double::sum));

            Map<String, Double> counted = query(expression.replace("prowctl_job_runs_total",
                    "prowctl_job_runs_total{job_name=\"" + job + "\"}"), at, "state");

            assertThat(counted).as("%s at %s", job, Instant.ofEpochSecond(at)).isEqualTo(expected);
        }
    }

    @Test
    void theLastRunAndTheFailureStreakAreThePayloads() throws Exception {
        JsonNode failed = runs.stream().filter(run -> run.path("state").asText().equals("failure")).findFirst()
                .orElseThrow();
        long step = OpenMetrics.STEP.toSeconds();
        long at = (end(failed).getEpochSecond() + step - 1) / step * step;
        String job = "{job_name=\"" + failed.path("job").asText() + "\"}";

        assertThat(query("prowctl_job_last_run_timestamp_seconds" + job, at, "job_name"))
                .containsValue((double) end(failed).getEpochSecond());
        assertThat(query("prowctl_job_consecutive_failures" + job, at, "job_name")).containsValue(1.0);
        assertThat(query("prowctl_job_run_duration_seconds_count" + job, at, "job_name")).containsValue(1.0);
    }
}
