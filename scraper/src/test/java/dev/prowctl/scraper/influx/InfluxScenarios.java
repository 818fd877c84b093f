package dev.prowctl.scraper.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.prow.Fixtures;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * What every InfluxDB 1.x must do with scrape's points (run against the local influxd and, with Docker, 1.8):
 * store every fixture run once, stay idempotent, and answer the original dashboards' four queries.
 */
final class InfluxScenarios {

    /** Grafana's $timeFilter for the fixture's day. */
    static final String TIME_FILTER = "time >= '2023-11-14T00:00:00Z' AND time < '2023-11-15T00:00:00Z'";

    private InfluxScenarios() {
    }

    static List<ProwRun> caseRuns() throws IOException {
        return Fixtures.collect(Fixtures.resource(Fixtures.CASES), JobFilter.ANY).runs();
    }

    static List<String> lines(List<ProwRun> runs) {
        LineProtocol encoder = new LineProtocol("build");
        return runs.stream().map(encoder::line).toList();
    }

    static void writeStoresEveryRunOnceAndRescrapesAreIdempotent(InfluxWriter writer, InfluxQl influx)
            throws IOException, InterruptedException {
        List<ProwRun> runs = caseRuns();
        InfluxWriter.Result first = writer.write(lines(runs), ProgressListener.NONE);
        assertThat(first.rejected()).isEmpty();
        assertThat(influx.count("SELECT count(\"build_id\") FROM \"build\"")).isEqualTo(runs.size());
        // two runs of one job that started in the same second are two points
        assertThat(influx.count("SELECT count(\"build_id\") FROM \"build\" WHERE \"job_name\" ="
                + " 'pull-ci-openshift-oadp-operator-master-4.10-e2e' AND time >= '2023-11-14T22:13:20Z'"
                + " AND time < '2023-11-14T22:13:21Z'")).isEqualTo(2);

        writer.write(lines(runs), ProgressListener.NONE);
        writer.write(lines(runs), ProgressListener.NONE);
        assertThat(influx.count("SELECT count(\"build_id\") FROM \"build\"")).isEqualTo(runs.size());

        // a failure classified later as a flake overwrites its point
        ProwRun failure = runs.stream().filter(r -> r.id().equals("1700000000000000002")).findFirst().orElseThrow();
        writer.write(List.of(new LineProtocol("build").line(failure.classified(true, "no-build-log:e2e"))),
                ProgressListener.NONE);
        assertThat(influx.count("SELECT count(\"build_id\") FROM \"build\"")).isEqualTo(runs.size());
        List<JsonNode> flake = influx.series("SELECT \"state\", \"state_int\", \"flake_reason\" FROM \"build\""
                + " WHERE \"build_id\" = '1700000000000000002'");
        assertThat(flake).singleElement().satisfies(s -> {
            assertThat(s.path("values")).hasSize(1);
            assertThat(s.path("values").path(0).path(1).asText()).isEqualTo("flake");
            assertThat(s.path("values").path(0).path(2).asInt()).isEqualTo(4);
            assertThat(s.path("values").path(0).path(3).asText()).isEqualTo("no-build-log:e2e");
        });
    }

    /** The four queries of the original dashboards (issue 2), with Grafana's $timeFilter filled in. */
    static void originalDashboardQueriesReturnTheRightRows(InfluxWriter writer, InfluxQl influx)
            throws IOException, InterruptedException {
        writer.write(lines(caseRuns()), ProgressListener.NONE);

        assertThat(influx.count("SELECT count(\"state\") FROM \"build\" WHERE (\"job_name\" =~ /^pull.*oadp.*4.10.*e2e.*/"
                + " AND \"state_int\" = 0) AND " + TIME_FILTER))
                .as("successful pull 4.10 e2e runs: the presubmit of PR 900 and the batch").isEqualTo(2);

        Map<String, Long> perJob = new TreeMap<>();
        for (JsonNode s : influx.series("SELECT count(\"state\") FROM \"autogen\".\"build\" WHERE (\"job_name\" =~"
                + " /^pull.*oadp.*/) AND " + TIME_FILTER + " GROUP BY \"job_name\"")) {
            perJob.put(s.path("tags").path("job_name").asText(), s.path("values").path(0).path(1).asLong());
        }
        assertThat(perJob).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "pull-ci-openshift-oadp-operator-master-4.10-e2e", 3L,
                "pull-ci-openshift-oadp-operator-master-nasty-e2e", 1L,
                "pull-ci-openshift-oadp-operator-master-unit-test", 1L,
                "pull-ci-openshift-oadp-operator-oadp-1.2-4.9-e2e", 1L)));

        Map<String, Long> passedPerPull = new TreeMap<>();
        for (JsonNode s : influx.series("select count(\"state_int\") as \"passed\" FROM \"build\" WHERE (\"job_name\" =~"
                + " /^pull.*oadp.*e2e.*/ and \"state_int\" = 0) GROUP BY pull_request")) {
            assertThat(s.path("columns").path(1).asText()).isEqualTo("passed");
            passedPerPull.put(s.path("tags").path("pull_request").asText(), s.path("values").path(0).path(1).asLong());
        }
        assertThat(passedPerPull).containsExactlyEntriesOf(new TreeMap<>(Map.of("900", 1L, "903", 1L, "907", 1L)));

        List<JsonNode> unit = influx.series("SELECT \"job_name\", \"state_int\", \"pull_request\", \"duration\","
                + " \"build_id\", \"log\" FROM \"build\" WHERE (\"job_name\" =~ /^pull.*oadp.*unit.*/) AND " + TIME_FILTER);
        assertThat(unit).singleElement().satisfies(s -> {
            List<String> columns = new ArrayList<>();
            s.path("columns").forEach(c -> columns.add(c.asText()));
            assertThat(columns).containsExactly("time", "job_name", "state_int", "pull_request", "duration", "build_id",
                    "log");
            JsonNode row = s.path("values").path(0);
            assertThat(s.path("values")).hasSize(1);
            assertThat(row.path(1).asText()).isEqualTo("pull-ci-openshift-oadp-operator-master-unit-test");
            assertThat(row.path(2).asInt()).isEqualTo(2);
            assertThat(row.path(3).asText()).isEqualTo("900");
            assertThat(row.path(4).asLong()).isEqualTo(330);
            assertThat(row.path(5).asText()).isEqualTo("1699999000000000004");
            assertThat(row.path(6).asText()).startsWith("https://prow.ci.openshift.org/view/gs/test-platform-results/");
        });
    }
}
