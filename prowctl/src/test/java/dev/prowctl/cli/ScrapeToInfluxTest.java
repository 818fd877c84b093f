package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.prowctl.testing.InfluxServer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** {@code prowctl scrape --influx-url ...} against a real influxd, and its exit codes on InfluxDB errors. */
@ExtendWith(InfluxServer.PerClass.class)
class ScrapeToInfluxTest {

    private static InfluxServer influx;

    @BeforeAll
    static void start(InfluxServer server) throws Exception {
        influx = server;
    }

    private static long points(String db) throws Exception {
        String answer = influx.query(db, "SELECT count(\"build_id\") FROM \"build\"");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer)
                .at("/results/0/series/0/values/0/1").asLong();
    }

    @Test
    void writesEveryRunOnceAndSaysSoInOneLine() throws Exception {
        String db = influx.createDatabase("cli");
        for (int i = 0; i < 2; i++) {
            CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", ScrapeCommandTest.cases().toString(), "--job", "*",
                    "--influx-url", influx.url(), "--influx-db", db, "--batch-size", "3");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).as(run.toString()).endsWith(
                    "prowctl scrape: wrote 11 points to InfluxDB " + influx.url() + "/ database cli");
        }
        assertThat(points(db)).isEqualTo(11);
    }

    @Test
    void aRedirectingProxyInFrontOfInfluxdFailsTheWriteAndNothingIsWritten() throws Exception {
        String db = influx.createDatabase("behind_proxy");
        try (MockWebServer proxy = new MockWebServer()) {
            // 307 keeps the method and body: a client that followed it would write every point into influxd
            proxy.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    return new MockResponse.Builder().code(307).setHeader("Location",
                            influx.url() + request.getUrl().encodedPath() + "?" + request.getUrl().encodedQuery())
                            .build();
                }
            });
            proxy.start();
            CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", ScrapeCommandTest.cases().toString(),
                    "--job", "*", "--influx-url", proxy.url("/").toString(), "--influx-db", db);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
            assertThat(run.err().lines()).as(run.toString()).endsWith("prowctl scrape: InfluxDB at "
                    + proxy.url("/") + " answered 307 to " + influx.url() + "/write?db=behind_proxy&precision=ns: a"
                    + " proxy in front of it? Writes do not follow redirects; give the URL InfluxDB itself answers"
                    + " on");
            assertThat(proxy.getRequestCount()).isEqualTo(1);
        }
        assertThat(influx.query(db, "SELECT count(\"build_id\") FROM \"build\"")).doesNotContain("values");
    }

    @Test
    void aRunWhoseTagsPassInfluxDbsKeyLimitIsSkippedAndCountedAndTheOthersAreWritten(@TempDir Path dir)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode payload = (ObjectNode) mapper.readTree(ScrapeCommandTest.cases().toFile());
        ((ObjectNode) payload.path("items").path(0).path("spec")).put("cluster", "b".repeat(70_000));
        Path file = dir.resolve("prowjobs.json");
        mapper.writeValue(file.toFile(), payload);
        String db = influx.createDatabase("long_tags");

        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", file.toString(), "--job", "*",
                "--influx-url", influx.url(), "--influx-db", db);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).as(run.toString()).contains("warning: skipped 4 unusable ProwJobs")
                .contains("wrote 10 points");
        assertThat(points(db)).isEqualTo(10);
        CliRun printed = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", file.toString(), "--job", "*");
        assertThat(printed.out().lines()).hasSize(10);
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
