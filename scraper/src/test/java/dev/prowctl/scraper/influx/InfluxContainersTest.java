package dev.prowctl.scraper.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.InfluxDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.prow.ProwRun;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The same scenarios against real InfluxDB 1.8 and 2.7 images. Reported as skipped where there is no Docker; the
 * 1.x scenarios also run against the local influxd in {@link InfluxWriterTest}.
 */
// Opt-in, not a required server (PROWCTL_REQUIRE_SERVERS does not apply): CI has no Docker daemon by design.
@Testcontainers(disabledWithoutDocker = true)
class InfluxContainersTest {

    @Container
    static final InfluxDBContainer<?> INFLUX_18 = new InfluxDBContainer<>(DockerImageName.parse("influxdb:1.8"))
            .withDatabase("prow").withAuthEnabled(false);

    @Container
    static final InfluxDBContainer<?> INFLUX_2 = new InfluxDBContainer<>(DockerImageName.parse("influxdb:2.7"))
            .withOrganization("prow-org").withBucket("prow").withAdminToken("test-token")
            .withUsername("admin").withPassword("password1234");

    private final OkHttpClient http = new OkHttpClient();

    private InfluxWriter v1Writer() {
        return new InfluxWriter(http, new InfluxTarget.V1(HttpUrl.get(INFLUX_18.getUrl()), "prow", null, null, null),
                5000, 2, Duration.ofMillis(100));
    }

    @Test
    void influx18StoresRunsIdempotentlyAndAnswersTheDashboardQueries() throws Exception {
        InfluxQl query = new InfluxQl(INFLUX_18.getUrl(), "prow", null);
        InfluxScenarios.writeStoresEveryRunOnceAndRescrapesAreIdempotent(v1Writer(), query);
        InfluxScenarios.originalDashboardQueriesReturnTheRightRows(v1Writer(), query);
    }

    @Test
    void influx2StoresOnePointPerRunThroughTheV2Api() throws Exception {
        InfluxWriter writer = new InfluxWriter(http, new InfluxTarget.V2(HttpUrl.get(INFLUX_2.getUrl()), "prow-org",
                "prow", "test-token"), 5000, 2, Duration.ofMillis(100));
        List<ProwRun> runs = InfluxScenarios.caseRuns();
        assertThat(writer.write(InfluxScenarios.lines(runs), ProgressListener.NONE).rejected()).isEmpty();
        writer.write(InfluxScenarios.lines(runs), ProgressListener.NONE);
        ProwRun failure = runs.stream().filter(r -> r.id().equals("1700000000000000002")).findFirst().orElseThrow();
        writer.write(List.of(new LineProtocol("build").line(failure.classified(true, "no-build-log:e2e"))),
                ProgressListener.NONE);

        assertThat(fluxCount("r._field == \"build_id\"")).isEqualTo(runs.size());
        assertThat(fluxCount("r._field == \"state\" and r._value == \"flake\"")).isEqualTo(1);
    }

    /** Points matching {@code predicate}, counted by Flux over every series. */
    private static long fluxCount(String predicate) throws IOException, InterruptedException {
        String flux = "from(bucket: \"prow\") |> range(start: 2023-11-01T00:00:00Z, stop: 2023-12-01T00:00:00Z)"
                + " |> filter(fn: (r) => r._measurement == \"build\" and " + predicate + ")"
                + " |> group() |> count()";
        HttpRequest request = HttpRequest.newBuilder(URI.create(INFLUX_2.getUrl() + "/api/v2/query?org=prow-org"))
                .header("Authorization", "Token test-token").header("Content-Type", "application/vnd.flux")
                .header("Accept", "application/csv").POST(HttpRequest.BodyPublishers.ofString(flux)).build();
        String csv = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        // annotated CSV: header ",result,table,_value" then ",_result,0,N"
        List<String> rows = csv.lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).as(csv).hasSizeGreaterThanOrEqualTo(2);
        String[] header = rows.get(0).split(",");
        String[] values = rows.get(1).split(",");
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals("_value")) {
                return Long.parseLong(values[i].trim());
            }
        }
        throw new AssertionError("no _value column in " + csv);
    }
}
