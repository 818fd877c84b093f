package dev.prowctl.scraper.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;
import dev.prowctl.testing.InfluxServer;
import dev.prowctl.testing.TestEnv;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The writer against a real influxd 1.6 (the Debian package), one database per test. */
@ExtendWith(InfluxServer.PerClass.class)
class InfluxWriterTest {

    private static InfluxServer influx;
    private final OkHttpClient http = new OkHttpClient();

    @BeforeAll
    static void start(InfluxServer server) throws Exception {
        influx = server;
    }

    private String database(TestInfo test) throws IOException, InterruptedException {
        return influx.createDatabase(test.getTestMethod().orElseThrow().getName());
    }

    private InfluxWriter writer(String db, int batchSize) {
        return new InfluxWriter(http, new InfluxTarget.V1(HttpUrl.get(influx.url()), db, null, null, null), batchSize,
                2, Duration.ofMillis(10));
    }

    @Test
    void storesEveryRunOnceAndStaysIdempotent(TestInfo test) throws Exception {
        String db = database(test);
        // a batch size smaller than the run count exercises several requests
        InfluxScenarios.writeStoresEveryRunOnceAndRescrapesAreIdempotent(writer(db, 4),
                new InfluxQl(influx.url(), db, null));
    }

    @Test
    void answersTheOriginalDashboardQueries(TestInfo test) throws Exception {
        String db = database(test);
        InfluxScenarios.originalDashboardQueriesReturnTheRightRows(writer(db, 5000),
                new InfluxQl(influx.url(), db, null));
    }

    @Test
    void storesNastyLabelValuesAsTags(TestInfo test) throws Exception {
        String db = database(test);
        List<ProwRun> runs = InfluxScenarios.caseRuns();
        assertThat(writer(db, 5000).write(InfluxScenarios.lines(runs), ProgressListener.NONE).rejected())
                .isEmpty();
        InfluxQl query = new InfluxQl(influx.url(), db, null);
        assertThat(tagValues(query, "cluster_profile"))
                .contains("aws, \"east\"=1 \\ new line tab ünïcødé 🚀");
        assertThat(tagValues(query, "target")).contains("e2e,with=odd chars \"quoted\" back\\slash");
        assertThat(tagValues(query, "variant")).contains("4.12 =x,y");
        assertThat(tagValues(query, "base_ref")).contains("release-1.2 \"q\"");
        assertThat(tagValues(query, "cluster")).contains("build 01");
        assertThat(tagValues(query, "job_name"))
                .contains("periodic-ci-openshift-oadp-operator-oadp-1.3-4.15-operator-e2e-aws-periodic-slack-with-a-very-long-suffix");
        // no bogus point from a split line
        assertThat(query.count("SELECT count(\"build_id\") FROM \"build\"")).isEqualTo(runs.size());
    }

    private static List<String> tagValues(InfluxQl query, String key) throws Exception {
        List<String> values = new ArrayList<>();
        for (JsonNode s : query.series("SHOW TAG VALUES FROM \"build\" WITH KEY = \"" + key + "\"")) {
            s.path("values").forEach(v -> values.add(v.path(1).asText()));
        }
        return values;
    }

    @Test
    void reportsWhichLinesAPartialWriteRejected(TestInfo test) throws Exception {
        String db = database(test);
        List<String> lines = List.of("build,job_name=a build_id=\"1\" 1000000000", "this is not line protocol",
                "build,job_name=b build_id=\"2\" 2000000000", "build,job_name=c state_int=NaN 3000000000");
        InfluxWriter.Result result = writer(db, 5000).write(lines, ProgressListener.NONE);
        assertThat(result.rejected()).extracting(InfluxWriter.Rejected::line)
                .containsExactly("this is not line protocol", "build,job_name=c state_int=NaN 3000000000");
        assertThat(result.rejected()).allSatisfy(r -> assertThat(r.reason()).isNotBlank().doesNotContain("dropped="));
        assertThat(result.written()).isEqualTo(2);
        assertThat(new InfluxQl(influx.url(), db, null).count("SELECT count(\"build_id\") FROM \"build\""))
                .isEqualTo(2);
    }

    @Test
    void writesIntoTheGivenRetentionPolicy(TestInfo test) throws Exception {
        String db = database(test);
        influx.query(db, "CREATE RETENTION POLICY \"two_weeks\" ON \"" + db + "\" DURATION 14d REPLICATION 1");
        InfluxWriter writer = new InfluxWriter(http,
                new InfluxTarget.V1(HttpUrl.get(influx.url()), db, "two_weeks", null, null), 5000, 1,
                Duration.ofMillis(10));
        // the retention policy only keeps recent points: write one run timed now
        String line = "build,job_name=a build_id=\"1\" " + System.currentTimeMillis() * 1_000_000L;
        assertThat(writer.write(List.of(line), ProgressListener.NONE).rejected()).isEmpty();
        InfluxQl query = new InfluxQl(influx.url(), db, null);
        assertThat(query.count("SELECT count(\"build_id\") FROM \"two_weeks\".\"build\"")).isEqualTo(1);
        assertThat(query.count("SELECT count(\"build_id\") FROM \"autogen\".\"build\"")).isZero();
    }

    @Test
    void namesAMissingDatabase() {
        assertThatThrownBy(() -> writer("no_such_db", 5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.NOT_FOUND))
                .hasMessageContaining("has no database \"no_such_db\"");
    }

    @Test
    void saysWhenTheServerHasNoV2WriteApi() {
        InfluxWriter writer = new InfluxWriter(http, new InfluxTarget.V2(HttpUrl.get(influx.url()), "org", "bucket",
                "secret-token"), 5000, 1, Duration.ofMillis(10));
        assertThatThrownBy(() -> writer.write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.UNSUPPORTED))
                .hasMessageContaining("no /api/v2/write").hasMessageNotContaining("secret-token");
    }

    @Test
    void reportsAnUnreachableServer() {
        InfluxWriter writer = new InfluxWriter(http, new InfluxTarget.V1(
                HttpUrl.get("http://127.0.0.1:" + TestEnv.freePort()), "db", null, null, null), 5000, 1,
                Duration.ofMillis(10));
        assertThatThrownBy(() -> writer.write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void countsWhatInfluxDroppedWithoutNamingItAndNotTheWholeBatch(TestInfo test) throws Exception {
        String db = database(test);
        influx.query(db, "CREATE RETENTION POLICY \"hour\" ON \"" + db + "\" DURATION 1h REPLICATION 1");
        InfluxWriter writer = new InfluxWriter(http,
                new InfluxTarget.V1(HttpUrl.get(influx.url()), db, "hour", null, null), 5000, 1,
                Duration.ofMillis(10));
        long now = System.currentTimeMillis() * 1_000_000L;
        // influxd stores the recent points and answers "partial write: points beyond retention policy dropped=1"
        InfluxWriter.Result result = writer.write(List.of("build,job_name=a build_id=\"1\" " + now,
                "build,job_name=old build_id=\"2\" 1000000000", "build,job_name=b build_id=\"3\" " + (now + 1)),
                ProgressListener.NONE);
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.line()).isNull();
            assertThat(r.reason()).isEqualTo("partial write: points beyond retention policy");
        });
        assertThat(result.written()).isEqualTo(2);
        assertThat(new InfluxQl(influx.url(), db, null)
                .count("SELECT count(\"build_id\") FROM \"hour\".\"build\"")).isEqualTo(2);
    }

    @Test
    void recordsWithLineBreaksAreOneLineEachAndStoredWithSpaces(TestInfo test) throws Exception {
        String db = database(test);
        List<ProwRun> runs = List.of(
                ProwRuns.presubmit("1", "job\nname").target("e2e\r\n").flakeReason("no-build-log\n:e2e")
                        .logUrl("https://prow.example/view\r\nX-Injected: 1").build(),
                ProwRuns.periodic("2", "periodic").state("fail\nure").artifactsUrl("a\n\nb").build());
        StringBuilder printed = new StringBuilder();
        for (ProwRun run : runs) {
            new LineProtocol("build").write(run, printed);
        }
        // what Telegraf's inputs.exec and a line-by-line writer see: one record per physical line
        assertThat(printed.toString()).doesNotContain("\r").hasLineCount(runs.size());

        assertThat(writer(db, 5000).write(printed.toString().lines().toList(), ProgressListener.NONE).rejected())
                .isEmpty();
        InfluxQl query = new InfluxQl(influx.url(), db, null);
        assertThat(query.count("SELECT count(\"build_id\") FROM \"build\"")).isEqualTo(runs.size());
        assertThat(tagValues(query, "job_name")).containsExactlyInAnyOrder("job name", "periodic");
        assertThat(query.series("SELECT \"flake_reason\", \"log\" FROM \"build\" WHERE \"build_id\" = '1'"))
                .singleElement().satisfies(s -> {
                    assertThat(s.path("values").path(0).path(1).asText()).isEqualTo("no-build-log :e2e");
                    assertThat(s.path("values").path(0).path(2).asText())
                            .isEqualTo("https://prow.example/view  X-Injected: 1");
                });
    }

    @Test
    void theLongestKeyLineProtocolAllowsIsStoredAndOneByteMoreIsWhatInfluxdRejects(TestInfo test)
            throws Exception {
        String db = database(test);
        String measurement = "m".repeat(LineProtocol.MAX_MEASUREMENT_BYTES);
        String tagsBesidesTarget = new LineProtocol("m").line(full("T")).split(" ", 2)[0].substring(1);
        String target = "t".repeat(LineProtocol.TAG_BYTES - tagsBesidesTarget.length() + 1);
        ProwRun longest = full(target);
        ProwRun tooLong = full(target + "t");
        assertThat(LineProtocol.keyProblem(longest)).isNull();
        assertThat(LineProtocol.keyProblem(tooLong)).isNotNull();

        InfluxWriter.Result result = writer(db, 5000).write(List.of(new LineProtocol(measurement).line(longest),
                new LineProtocol(measurement).line(tooLong)), ProgressListener.NONE);
        // influxd agrees to the byte: the key limit applies with the longest field key, pull_request_url
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.line()).contains(target + "t");
            assertThat(r.reason()).contains("max key length exceeded");
        });
    }

    /** A run with every tag and field, pull_request_url included (the longest field key). */
    private static ProwRun full(String target) {
        return ProwRuns.presubmit("1700000000000000001", "j").target(target).build();
    }
}
