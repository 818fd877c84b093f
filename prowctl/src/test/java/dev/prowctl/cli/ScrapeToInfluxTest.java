package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.prowctl.testing.InfluxServer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** {@code prowctl scrape --influx-url ...} against a real influxd, and its exit codes on InfluxDB errors. */
class ScrapeToInfluxTest {

    private static InfluxServer influx;

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxServer.start();
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
    }

    private static long points(String db) throws Exception {
        String answer = influx.query(db, "SELECT count(\"build_id\") FROM \"build\"");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer)
                .at("/results/0/series/0/values/0/1").asLong();
    }

    @Test
    void writesEveryRunOnceAndPrintsNothing() throws Exception {
        String db = influx.createDatabase("cli");
        for (int i = 0; i < 2; i++) {
            CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", ScrapeCommandTest.cases().toString(), "--job", "*",
                    "--influx-url", influx.url(), "--influx-db", db, "--batch-size", "3", "--verbose");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("wrote 11 points");
        }
        assertThat(points(db)).isEqualTo(11);
    }

    @Test
    void aMissingDatabaseIsAServerError() {
        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", ScrapeCommandTest.cases().toString(),
                "--influx-url", influx.url(), "--influx-db", "absent");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(run.err()).contains("has no database \"absent\"");
    }

    @Test
    void aPartialWriteListsTheRejectedLinesAndExitsWith1() throws IOException {
        try (MockWebServer fake = new MockWebServer()) {
            fake.start();
            fake.enqueue(new MockResponse.Builder().code(400).body("{\"code\":\"invalid\",\"message\":"
                    + "\"partial write has occurred, errors encountered on line(s):\\nline 2: field type conflict\"}")
                    .build());
            CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", ScrapeCommandTest.cases().toString(),
                    "--influx-url", fake.url("/").toString(), "--influx-org", "o", "--influx-bucket", "b",
                    "--influx-token", "very-secret");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(run.err()).contains("InfluxDB rejected a line (field type conflict): build,job_name=")
                    .contains("1 of 10 points were rejected by InfluxDB; the other 9 were written")
                    .doesNotContain("very-secret");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void wrongCredentialsExitWith6() throws IOException {
        try (MockWebServer fake = new MockWebServer()) {
            fake.start();
            fake.enqueue(new MockResponse.Builder().code(401).body("{\"error\":\"authorization failed\"}").build());
            CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", ScrapeCommandTest.cases().toString(),
                    "--influx-url", fake.url("/").toString(), "--influx-db", "prow", "--influx-user", "u",
                    "--influx-password", "hunter2");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.AUTH);
            assertThat(run.err()).contains("HTTP 401").doesNotContain("hunter2");
        }
    }
}
