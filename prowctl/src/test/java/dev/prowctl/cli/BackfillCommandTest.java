package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.scraper.backfill.BackfillSettings;
import dev.prowctl.testing.InfluxServer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@code prowctl backfill} against a GCS stand-in, printing and into a real influxd, and resuming after a failure. */
@ExtendWith(InfluxServer.PerClass.class)
class BackfillCommandTest {

    private static InfluxServer influx;
    private final GcsStandIn gcs = new GcsStandIn();

    @TempDir
    Path dir;

    BackfillCommandTest() throws Exception {
    }

    @BeforeAll
    static void start(InfluxServer server) {
        influx = server;
    }

    @AfterEach
    void stop() {
        gcs.close();
    }

    private Path deck(List<ObjectNode> runs) throws Exception {
        Path file = dir.resolve("prowjobs.json");
        Files.writeString(file, GcsStandIn.payload(runs));
        return file;
    }

    private String[] args(Path deck, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("backfill", "--prowjobs-file", deck.toString(),
                "--since", "3d", "--no-flakes", "--gcs-api-url", gcs.url(), "--gcsweb-url", "",
                "--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void printsTheRunsOfTheWindowAsScrapeWouldAndEndsWithASummary() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> runs = gcs.periodicRuns("periodic-ci-oadp-e2e", now.minus(Duration.ofDays(5))
                .plusSeconds(1800), now.minus(Duration.ofHours(1)), Duration.ofHours(2));
        long inWindow = runs.stream().filter(pj -> Instant.parse(pj.path("status").path("startTime").asText())
                .isAfter(now.minus(Duration.ofDays(3)))).count();
        Path deck = deck(runs.subList(runs.size() - 1, runs.size()));

        CliRun run = CliRun.of(args(deck, "--job", "*", "-o", "json"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).hasSize((int) inWindow);
        CliRun scrape = CliRun.of("scrape", "--prowjobs-file", deck.toString(), "--job", "*", "--no-flakes", "-o",
                "json", "--gcsweb-url", "");
        assertThat(run.out().lines()).contains(scrape.out().strip());
        assertThat(run.err().lines()).last().asString().isEqualTo("prowctl backfill: 1 job, " + inWindow
                + " runs listed, " + inWindow + " read, " + inWindow + " written to stdout; " + (inWindow + 1)
                + " GCS requests");
    }

    @Test
    void runsThatCannotBeReadAreNamedOneLineEachUpToTwentyAndExitWith1() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> runs = gcs.periodicRuns("periodic-ci-oadp-e2e", now.minus(Duration.ofDays(2)),
                now.minus(Duration.ofHours(1)), Duration.ofHours(1));
        // 25 runs whose prowjob.json is corrupt and that have no started.json to fall back to
        List<ObjectNode> broken = runs.subList(0, 25);
        for (ObjectNode pj : broken) {
            String path = "logs/periodic-ci-oadp-e2e/" + pj.path("status").path("build_id").asText();
            gcs.put(path + "/prowjob.json", "{\"metadata\":");
        }
        Path deck = deck(runs.subList(runs.size() - 1, runs.size()));

        CliRun run = CliRun.of(args(deck, "--job", "*", "-o", "json"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(run.out().lines()).hasSize(runs.size() - broken.size());
        List<String> leftOut = run.err().lines().filter(l -> l.startsWith("prowctl backfill: left out: ")).toList();
        assertThat(leftOut).hasSize(20).allSatisfy(line -> assertThat(line).matches("prowctl backfill: left out: job"
                + " periodic-ci-oadp-e2e run \\d{19}: prowjob.json is not valid JSON: .*, and no started.json"));
        assertThat(run.err()).contains("prowctl backfill: ... and 5 more left out\n")
                .contains(", 25 left out; ")
                .endsWith("prowctl backfill: 25 job(s) or run(s) were left out (named above); run the backfill again"
                        + " to retry them\n");
    }

    @Test
    void aJobThatIsNotInDeckNeedsItsBucketOrAnotherRunToTakeItFrom() throws Exception {
        Path deck = deck(List.of());
        CliRun run = CliRun.of(args(deck, "--job", "periodic-gone"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("prowctl backfill: job periodic-gone is not in deck's payload and no run"
                + " there tells the bucket: give it with --bucket\n");
        CliRun bad = CliRun.of("backfill", "--prowjobs-file", deck.toString(), "--since", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("'yesterday' is neither a duration (72h, 30d) nor a date");
    }

    @Test
    void aBackfillReads32AtOnceByDefaultWhileAScrapeKeeps8() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("PROWCTL_CONCURRENCY") == null,
                "PROWCTL_CONCURRENCY is set: it is every command's default");
        BackfillCommand backfill = new BackfillCommand();
        new picocli.CommandLine(backfill).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--since", "1d");
        assertThat(backfill.flakes.concurrency()).isEqualTo(32);
        BackfillCommand given = new BackfillCommand();
        new picocli.CommandLine(given).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--since", "1d", "--concurrency", "4");
        assertThat(given.flakes.concurrency()).isEqualTo(4);
        ScrapeCommand scrape = new ScrapeCommand();
        new picocli.CommandLine(scrape).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
        assertThat(scrape.flakes.concurrency()).isEqualTo(8);
        assertThat(CliRun.of("backfill", "--help").out().replaceAll("\\s+", " "))
                .contains("(default: 32, env PROWCTL_CONCURRENCY)");
        assertThat(CliRun.of("scrape", "--help").out().replaceAll("\\s+", " "))
                .contains("(default: 8, env PROWCTL_CONCURRENCY)");
    }

    @Test
    void aBackfillStoppedByInfluxDbResumesWhereItStoppedAndEveryRunIsOnePoint() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> runs = gcs.periodicRuns("periodic-ci-oadp-nightly", now.minus(Duration.ofDays(3))
                .plusSeconds(3600), now.minus(Duration.ofHours(1)), Duration.ofMinutes(6));
        assertThat(runs.size()).isGreaterThan(600);
        Path deck = deck(runs.subList(runs.size() - 1, runs.size()));
        String db = influx.createDatabase("backfill_resume");
        AtomicBoolean failing = new AtomicBoolean();
        OkHttpClient forward = new OkHttpClient();
        int[] writes = {0};
        try (MockWebServer proxy = new MockWebServer()) {
            // InfluxDB behind a proxy that goes away after the first two batches of runs (4 writes of 50 lines)
            proxy.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    if (failing.get() && ++writes[0] > 4) {
                        return new MockResponse.Builder().code(503).body("down").build();
                    }
                    try (Response response = forward.newCall(new Request.Builder()
                            .url(influx.url() + request.getTarget())
                            .method(request.getMethod(), request.getMethod().equals("POST") ? RequestBody.create(
                                    request.getBody().toByteArray(), MediaType.get("text/plain")) : null)
                            .headers(request.getHeaders()).build()).execute()) {
                        return new MockResponse.Builder().code(response.code())
                                .body(response.body().string()).build();
                    } catch (java.io.IOException e) {
                        return new MockResponse.Builder().code(502).build();
                    }
                }
            });
            proxy.start();
            String influxUrl = proxy.url("/").toString();
            failing.set(true);
            CliRun stopped = CliRun.of(args(deck, "--job", "*", "--influx-url", influxUrl, "--influx-db", db, "--batch-size", "50",
                    "--retries", "0"));
            assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
            int requestsStopped = gcs.requests();

            failing.set(false);
            CliRun resumed = CliRun.of(args(deck, "--job", "*", "--influx-url", influxUrl, "--influx-db", db));
            assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
            assertThat(resumed.err()).contains("prowctl backfill: resuming: 200 runs in the window were emitted by an"
                    + " earlier backfill (checkpoints in " + dir.resolve("state").resolve("backfill")
                    + ") and are not read again; --from-scratch reads them again");
            int requestsResumed = gcs.requests() - requestsStopped;
            // the first run read three batches of 100 (the third was not delivered) and some of the fourth (at
            // most --concurrency reads ahead), the second all but the first two; both listed the job directory
            // (100 names a page)
            int pages = (runs.size() + 99) / 100;
            assertThat(requestsStopped + requestsResumed - (runs.size() + pages)).as("requests repeated")
                    .isBetween(100 + pages, 100 + BackfillSettings.DEFAULT_CONCURRENCY + pages);
        }
        String answer = influx.query(db, "SELECT count(\"build_id\") FROM \"build\"");
        assertThat(new ObjectMapper().readTree(answer).at("/results/0/series/0/values/0/1").asLong())
                .isEqualTo(runs.size());
    }
}
