package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;

/**
 * A user and password in a URL option of {@code scrape} are either used (the 1.x credentials in {@code --influx-url})
 * or refused with exit 2 naming the option (deck {@code --url}, {@code --gcs-api-url}, {@code --gcsweb-url}); never
 * ignored, and never printed.
 */
class UrlCredentialsTest {

    private static final String SECRET = "s3cr%40t-pw";

    private MockWebServer influx;

    @BeforeEach
    void start() throws IOException {
        influx = new MockWebServer();
        influx.start();
    }

    @AfterEach
    void stop() {
        influx.close();
    }

    private String influxUrlWith(String userInfo) {
        return "http://" + userInfo + "@" + influx.getHostName() + ":" + influx.getPort() + "/";
    }

    private static CliRun scrape(String... more) {
        List<String> args = new ArrayList<>(List.of("scrape", "--no-flakes", "--prowjobs-file",
                ScrapeCommandTest.cases().toString(), "--job", "*"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Neither the password nor its decoded form anywhere in what prowctl printed. */
    private static void assertNoSecret(CliRun run) {
        assertThat(run.out() + run.err()).as(run.toString()).doesNotContain("s3cr").doesNotContain("%40t");
    }

    @Test
    void theUserAndPasswordOfTheInfluxUrlAreThe1xCredentials() throws Exception {
        influx.enqueue(new MockResponse.Builder().code(204).build());

        CliRun run = scrape("--influx-url", influxUrlWith("telegraf:" + SECRET), "--influx-db", "prow");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        RecordedRequest request = influx.takeRequest();
        assertThat(request.getHeaders().get("Authorization"))
                .isEqualTo(Credentials.basic("telegraf", "s3cr@t-pw", StandardCharsets.UTF_8));
        assertThat(request.getUrl().username()).isEmpty();
        assertThat(run.err()).contains("wrote 11 points to InfluxDB " + influx.url("/") + " database prow");
        assertNoSecret(run);
    }

    @Test
    void aUserInTheUrlTakesItsPasswordFromTheOption() throws Exception {
        influx.enqueue(new MockResponse.Builder().code(204).build());

        CliRun run = scrape("--influx-url", influxUrlWith("telegraf"), "--influx-db", "prow",
                "--influx-password", "s3cr@t-pw");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(influx.takeRequest().getHeaders().get("Authorization"))
                .isEqualTo(Credentials.basic("telegraf", "s3cr@t-pw", StandardCharsets.UTF_8));
    }

    @Test
    void aFailingWriteNamesTheInfluxUrlWithoutItsPassword() {
        influx.enqueue(new MockResponse.Builder().code(401).body("{\"error\":\"authorization failed\"}").build());

        CliRun run = scrape("--influx-url", influxUrlWith("telegraf:" + SECRET), "--influx-db", "prow");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.AUTH);
        assertThat(run.err()).contains("InfluxDB at " + influx.url("/") + " refused the write with HTTP 401");
        assertNoSecret(run);
    }

    @Test
    void contradictoryOrUnusableInfluxCredentialsAreUsageErrors() {
        List<CliRun> runs = List.of(
                scrape("--influx-url", influxUrlWith("telegraf:" + SECRET), "--influx-db", "prow",
                        "--influx-user", "other"),
                scrape("--influx-url", influxUrlWith("telegraf:" + SECRET), "--influx-db", "prow",
                        "--influx-user", "telegraf", "--influx-password", "x"),
                scrape("--influx-url", influxUrlWith(":" + SECRET), "--influx-db", "prow"),
                scrape("--influx-url", influxUrlWith("telegraf:" + SECRET), "--influx-org", "o",
                        "--influx-bucket", "b", "--influx-token", "t"),
                scrape("--influx-url", influx.url("/") + "?u=telegraf&p=" + SECRET, "--influx-db", "prow"));
        for (CliRun run : runs) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).as(run.toString()).contains("--influx-url");
            assertNoSecret(run);
        }
        assertThat(influx.getRequestCount()).isZero();
    }

    @Test
    void aDeckUrlWithCredentialsIsRefusedRatherThanCopiedIntoEveryLink() {
        CliRun run = scrape("--url", "https://ci:" + SECRET + "@prow.example/?job=*");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--url").contains("https://***@prow.example/").contains("--prowjobs-file");
        assertNoSecret(run);
    }

    @Test
    void artifactsUrlsWithCredentialsAreRefusedEvenWithoutFlakeLookups() {
        CliRun api = scrape("--gcs-api-url", "https://ci:" + SECRET + "@storage.example/");
        CliRun gcsweb = scrape("--gcsweb-url", "https://ci:" + SECRET + "@gcsweb.example/gcs/");
        CliRun lookups = CliRun.of("scrape", "--prowjobs-file", ScrapeCommandTest.cases().toString(),
                "--gcs-api-url", "https://ci:" + SECRET + "@storage.example/");

        assertThat(api.err()).contains("--gcs-api-url").contains("https://***@storage.example/");
        assertThat(gcsweb.err()).contains("--gcsweb-url").contains("https://***@gcsweb.example/gcs/");
        for (CliRun run : List.of(api, gcsweb, lookups)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out()).isEmpty();
            assertNoSecret(run);
        }
    }
}
