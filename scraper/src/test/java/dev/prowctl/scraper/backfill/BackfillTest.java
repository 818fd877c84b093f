package dev.prowctl.scraper.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.scraper.flake.FakeArtifactsServer;
import dev.prowctl.scraper.output.JsonLines;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun.JobType;

/** {@link Backfill} against a GCS JSON API and gcsweb stand-in holding days of runs of the four job types. */
class BackfillTest {

    private static final Instant DAY0 = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant NOW = DAY0.plus(Duration.ofDays(4));
    private static final JobFilter ALL = new JobFilter("*", null, null, null, null, null, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeArtifactsServer server = new FakeArtifactsServer();
    private final ProwHistory history = new ProwHistory(server);
    private final BackfillHarness harness = new BackfillHarness(server);

    @TempDir
    Path stateDir;

    @AfterEach
    void stop() {
        server.close();
    }

    /** Three days of runs of four jobs: a periodic, a postsubmit, a presubmit and its batches. */
    private List<ObjectNode> fourJobTypes() {
        List<ObjectNode> all = new ArrayList<>();
        Instant to = DAY0.plus(Duration.ofDays(3));
        all.addAll(history.runs("periodic-ci-oadp-e2e-aws", JobType.PERIODIC, DAY0, to, Duration.ofHours(4), 3));
        all.addAll(history.runs("branch-ci-oadp-images", JobType.POSTSUBMIT, DAY0, to, Duration.ofHours(6), 0));
        all.addAll(history.runs("pull-ci-oadp-e2e", JobType.PRESUBMIT, DAY0, to, Duration.ofHours(2), 4));
        all.addAll(history.runs("pull-ci-oadp-e2e", JobType.BATCH, DAY0.plusSeconds(600), to, Duration.ofHours(12),
                2));
        return all;
    }

    /** The newest run of each job and type: what deck's payload still shows. */
    private static List<ObjectNode> newest(List<ObjectNode> runs) {
        java.util.Map<String, ObjectNode> newest = new java.util.TreeMap<>();
        runs.forEach(pj -> newest.put(ProwHistory.job(pj) + pj.path("spec").path("type").asText(), pj));
        return List.copyOf(newest.values());
    }

    @Test
    void aBackfilledRunIsExactlyTheRecordAScrapeMakesOfItForAllFourJobTypes() throws IOException {
        List<ObjectNode> all = fourJobTypes();
        List<BackfillJob> jobs = harness.jobs(newest(all), ALL, NOW);
        assertThat(jobs).extracting(BackfillJob::name)
                .containsExactly("branch-ci-oadp-images", "periodic-ci-oadp-e2e-aws", "pull-ci-oadp-e2e");

        BackfillHarness.Recorder recorder = new BackfillHarness.Recorder();
        BackfillHarness.Printed printed = harness.print(jobs, ALL, DAY0, NOW, Checkpoints.none(), recorder);

        assertThat(recorder.leftOut).isEmpty();
        assertThat(recorder.warnings).isEmpty();
        assertThat(printed.result().incomplete()).isFalse();
        assertThat(printed.lines()).hasSize(all.size())
                .containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        assertThat(printed.lines()).anySatisfy(line -> assertThat(line).contains("\"type\":\"batch\""))
                .anySatisfy(line -> assertThat(line).contains("\"type\":\"presubmit\""))
                .anySatisfy(line -> assertThat(line).contains("\"type\":\"postsubmit\""))
                .anySatisfy(line -> assertThat(line).contains("\"type\":\"periodic\""));
        // one read per run, presubmits too (the alias's link comes with the listing), and the four listings
        assertThat(printed.result().requests()).isEqualTo(all.size() + 4);
        assertThat(server.requests()).filteredOn(r -> r.contains("pr-logs%2Fdirectory%2F") && r.contains("alt=media"))
                .isEmpty();
    }

    @Test
    void aPresubmitsAliasIsReadOnlyWhenTheListingCarriesNoLinkForIt() throws IOException {
        history.aliasUpload = ProwHistory.AliasUpload.BOOTSTRAP; // metadata "link", with a trailing space
        List<ObjectNode> linked = history.runs("pull-ci-bootstrap", JobType.PRESUBMIT, DAY0, NOW,
                Duration.ofHours(3), 4);
        history.aliasUpload = ProwHistory.AliasUpload.NO_METADATA; // old uploads
        List<ObjectNode> unlinked = history.runs("pull-ci-old-uploads", JobType.PRESUBMIT, DAY0, NOW,
                Duration.ofHours(5), 4);
        List<ObjectNode> all = new ArrayList<>(linked);
        all.addAll(unlinked);
        List<BackfillJob> jobs = harness.jobs(newest(all), ALL, NOW);
        server.resetCounts();

        BackfillHarness.Printed printed = harness.print(jobs, ALL, DAY0, NOW, Checkpoints.none(),
                new BackfillHarness.Recorder());

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        // 4 listings (each job's aliases and batches), one read per linked run, two per unlinked one
        assertThat(printed.result().requests()).isEqualTo(4 + linked.size() + 2 * unlinked.size());
        assertThat(server.requests()).filteredOn(r -> r.contains("pr-logs%2Fdirectory%2F") && r.contains("alt=media"))
                .hasSize(unlinked.size()).allSatisfy(r -> assertThat(r).contains("pull-ci-old-uploads"));

        // gcsweb's listing shows no metadata: every alias is read there
        server.refuseApi(ProwHistory.BUCKET);
        server.resetCounts();
        BackfillHarness.Printed viaGcsweb = harness.print(jobs, ALL, DAY0, NOW, Checkpoints.none(),
                new BackfillHarness.Recorder());
        assertThat(viaGcsweb.lines()).containsExactlyInAnyOrderElementsOf(printed.lines());
        assertThat(server.requests()).filteredOn(r -> r.startsWith("/gcs/") && r.contains("/pr-logs/directory/")
                && r.endsWith(".txt")).hasSize(all.size());
    }

    @Test
    void aLinkIsFollowedOnlyIntoTheSameBucketUnderPrLogsToThisJobAndBuild() throws IOException {
        BackfillJob job = new BackfillJob("pull-ci-x", "results", "", java.util.Set.of(Layout.PR_DIRECTORY),
                JobType.PRESUBMIT, true);
        String run = "pr-logs/pull/o_r/12/pull-ci-x/1234";
        assertThat(RunLister.linkedRun(job, "1234", java.util.Map.of("x-goog-meta-link", "gs://results/" + run)))
                .isEqualTo(run);
        assertThat(RunLister.linkedRun(job, "1234", java.util.Map.of("link", "gs://results/" + run + "/ ")))
                .isEqualTo(run);
        for (String bad : List.of("gs://other-bucket/" + run, "gs://results-other/" + run, "https://results/" + run,
                "gs://results/logs/pull-ci-x/1234", "gs://results/pr-logs/pull/o_r/12/pull-ci-x/999",
                "gs://results/pr-logs/pull/o_r/12/pull-ci-y/1234", "gs://results/pr-logs/../logs/pull-ci-x/1234",
                "gs://results/pr-logs/pull//pull-ci-x/1234", "gs://results/pr-logs/directory/pull-ci-x/1234", "gs://results/pr-logs/pull/o_r?x/pull-ci-x/1234",
                "gs://results/pr-logs/pull/o\nr/pull-ci-x/1234", "results/" + run, "")) {
            assertThat(RunLister.linkedRun(job, "1234", java.util.Map.of("x-goog-meta-link", bad))).as(bad).isNull();
        }
        assertThat(RunLister.linkedRun(job, "1234", java.util.Map.of("other", "gs://results/" + run))).isNull();
        assertThat(RunLister.linkedRun(job, "1234", null)).isNull();
        BackfillJob prefixed = new BackfillJob("pull-ci-x", "results", "ci/", job.layouts(), JobType.PRESUBMIT, true);
        assertThat(RunLister.linkedRun(prefixed, "1234", java.util.Map.of("x-goog-meta-link", "gs://results/" + run)))
                .isNull();
        assertThat(RunLister.linkedRun(prefixed, "1234", java.util.Map.of("x-goog-meta-link",
                "gs://results/ci/" + run))).isEqualTo("ci/" + run);

        // a run whose link names another run of the job is read through its alias, not from the other run
        List<ObjectNode> all = history.runs("pull-ci-relinked", JobType.PRESUBMIT, DAY0, NOW, Duration.ofHours(6), 0);
        String alias = "pr-logs/directory/pull-ci-relinked/" + ProwHistory.id(all.get(0)) + ".txt";
        server.put(ProwHistory.BUCKET, alias, "gs://" + ProwHistory.BUCKET + "/" + ProwHistory.runPath(all.get(0)),
                java.util.Map.of("x-goog-meta-link", "gs://" + ProwHistory.BUCKET + "/"
                        + ProwHistory.runPath(all.get(1))));
        server.resetCounts();

        BackfillHarness.Printed printed = harness.print(harness.jobs(newest(all), ALL, NOW), ALL, DAY0, NOW,
                Checkpoints.none(), new BackfillHarness.Recorder());

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        assertThat(server.requests()).filteredOn(r -> r.contains("pr-logs%2Fdirectory%2F") && r.contains("alt=media"))
                .singleElement().asString().contains(ProwHistory.id(all.get(0)));
    }

    @Test
    void anInstallationsPathPrefixIsTakenFromTheRunsUrls() throws IOException {
        history.prefix = "ci/results/";
        List<ObjectNode> all = new ArrayList<>();
        all.addAll(history.runs("periodic-prefixed", JobType.PERIODIC, DAY0, NOW, Duration.ofHours(6), 3));
        all.addAll(history.runs("pull-prefixed", JobType.PRESUBMIT, DAY0, NOW, Duration.ofHours(6), 3));
        List<BackfillJob> jobs = harness.jobs(newest(all), ALL, NOW);
        assertThat(jobs).extracting(BackfillJob::pathPrefix).containsOnly("ci/results/");

        BackfillHarness.Printed printed = harness.print(jobs, ALL, DAY0, NOW, Checkpoints.none(),
                new BackfillHarness.Recorder());

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        assertThat(JobSelection.pathPrefix("logs/j/1", "j")).isEmpty();
        assertThat(JobSelection.pathPrefix("p/pr-logs/pull/o_r/1/j/2", "j")).isEqualTo("p/");
        assertThat(JobSelection.pathPrefix("somewhere/else", "j")).isNull();
    }

    @Test
    void onlyTheWindowIsListedAndReadFromTheBuildIdsOfItsBounds() throws IOException {
        List<ObjectNode> all = history.runs("periodic-ci-busy", JobType.PERIODIC, DAY0.minus(Duration.ofDays(60)),
                NOW, Duration.ofMinutes(30), 0);
        assertThat(all).hasSizeGreaterThan(3000);
        server.apiPageSize = 1000;
        Instant since = NOW.minus(Duration.ofDays(1));
        Instant until = NOW.minus(Duration.ofHours(12));
        List<ObjectNode> inWindow = all.stream().filter(pj -> {
            Instant start = Instant.parse(pj.path("status").path("startTime").asText());
            return !start.isBefore(since) && start.isBefore(until);
        }).toList();
        server.resetCounts();

        BackfillHarness.Printed printed = harness.print(harness.jobs(newest(all), ALL, NOW), ALL, since, until,
                Checkpoints.none(), new BackfillHarness.Recorder());

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(inWindow, ALL));
        assertThat(server.requests()).filteredOn(r -> r.contains("delimiter=")).hasSize(1)
                .allSatisfy(r -> assertThat(r).contains("startOffset=").contains("endOffset="));
        assertThat(server.requestCount()).isEqualTo(1 + inWindow.size());
    }

    @Test
    void thousandsOfRunsInAJobDirectoryArePagedThrough() throws IOException {
        List<ObjectNode> all = history.runs("periodic-ci-many", JobType.PERIODIC, DAY0, NOW, Duration.ofMinutes(2), 0);
        assertThat(all).hasSizeGreaterThan(2500);
        server.apiPageSize = 100;
        harness.concurrency = 16;
        harness.batchSize = 500;
        server.resetCounts();

        BackfillHarness.Printed printed = harness.print(harness.jobs(newest(all), ALL, NOW), ALL, DAY0, NOW,
                Checkpoints.none(), new BackfillHarness.Recorder());

        assertThat(printed.lines()).hasSize(all.size()).doesNotHaveDuplicates();
        assertThat(server.requests()).filteredOn(r -> r.contains("delimiter="))
                .hasSize((all.size() + 99) / 100);
    }

    @Test
    void aBucketTheApiRefusesIsListedAndReadThroughGcswebWithTheSameRecords() throws IOException {
        List<ObjectNode> all = fourJobTypes();
        server.refuseApi(ProwHistory.BUCKET);
        server.gcswebPageSize = 7;

        BackfillHarness.Printed printed = harness.print(harness.jobs(newest(all), ALL, NOW), ALL, DAY0, NOW,
                Checkpoints.none(), new BackfillHarness.Recorder());

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        // refused for the listings started before the first refusal came back, then gcsweb only
        assertThat(server.requests()).filteredOn(r -> r.startsWith("/storage/")).hasSizeLessThanOrEqualTo(4)
                .allSatisfy(r -> assertThat(r).contains("delimiter="));
    }

    @Test
    void aBucketThatRefusesListingEverywhereIsReportedAndTheOtherJobsGoOn() throws IOException {
        List<ObjectNode> all = new ArrayList<>(fourJobTypes());
        List<ObjectNode> elsewhere = new ArrayList<>();
        for (ObjectNode pj : history.runs("periodic-other-bucket", JobType.PERIODIC, DAY0, NOW, Duration.ofHours(8),
                0)) {
            String url = pj.path("status").path("url").asText().replace(ProwHistory.BUCKET, "private-bucket");
            ((ObjectNode) pj.path("status")).put("url", url);
            elsewhere.add(pj);
        }
        server.put("private-bucket", "logs/periodic-other-bucket/latest-build.txt", "1");
        server.refuseApi("private-bucket");
        server.refuseGcsweb("private-bucket");
        List<ObjectNode> deck = new ArrayList<>(newest(all));
        deck.add(elsewhere.get(elsewhere.size() - 1));
        BackfillHarness.Recorder recorder = new BackfillHarness.Recorder();

        BackfillHarness.Printed printed = harness.print(harness.jobs(deck, ALL, NOW), ALL, DAY0, NOW,
                Checkpoints.none(), recorder);

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        assertThat(printed.result().incomplete()).isTrue();
        assertThat(recorder.leftOut).singleElement().asString()
                .startsWith("job periodic-other-bucket: bucket private-bucket refuses listing logs/periodic-other-bucket/:")
                .contains("HTTP 403");
    }

    @Test
    void aCorruptOrMissingProwJobFallsBackToStartedAndFinishedAndARunWithoutFinishedJsonWaits() throws IOException {
        List<ObjectNode> all = history.runs("pull-ci-oadp-unit", JobType.PRESUBMIT, DAY0, DAY0.plus(Duration.ofHours(5)),
                Duration.ofHours(1), 0);
        server.put(ProwHistory.BUCKET, ProwHistory.runPath(all.get(0)) + "/prowjob.json", "{\"metadata\": {\"na");
        server.put(ProwHistory.BUCKET, ProwHistory.runPath(all.get(1)) + "/prowjob.json", "<html>Not JSON</html>");
        server.remove(ProwHistory.BUCKET, ProwHistory.runPath(all.get(2)) + "/finished.json");
        server.remove(ProwHistory.BUCKET, ProwHistory.runPath(all.get(2)) + "/prowjob.json");
        server.put(ProwHistory.BUCKET, ProwHistory.runPath(all.get(3)) + "/prowjob.json", "[]");
        server.remove(ProwHistory.BUCKET, ProwHistory.runPath(all.get(3)) + "/started.json");
        BackfillHarness.Recorder recorder = new BackfillHarness.Recorder();

        BackfillHarness.Printed printed = harness.print(harness.jobs(newest(all), ALL, NOW), ALL, DAY0, NOW,
                Checkpoints.none(), recorder);

        assertThat(printed.result().unfinished()).isEqualTo(1);
        assertThat(printed.result().fallbacks()).isEqualTo(2);
        assertThat(recorder.leftOut).singleElement().asString()
                .isEqualTo("job pull-ci-oadp-unit run " + ProwHistory.id(all.get(3)) + ": prowjob.json is not a"
                        + " JSON object, and no started.json");
        assertThat(recorder.warnings).hasSize(2).allSatisfy(w -> assertThat(w)
                .contains("rebuilt from started.json and finished.json, with fewer fields"));
        List<String> scraped = harness.scrape(all.subList(4, all.size()), ALL);
        assertThat(printed.lines()).hasSize(scraped.size() + 2).containsAll(scraped);
        JsonNode fallback = JSON.readTree(printed.lines().stream().filter(l -> l.contains(ProwHistory.id(all.get(0))))
                .findFirst().orElseThrow());
        JsonNode full = JSON.readTree(harness.scrape(List.of(all.get(0)), ALL).get(0));
        for (String same : List.of("id", "job", "type", "state", "start_time", "end_time", "duration", "org", "repo",
                "base_ref", "pull_request", "pull_sha", "log_url", "artifacts_url")) {
            assertThat(fallback.path(same)).as(same).isEqualTo(full.path(same));
        }
        assertThat(fallback.path("prowjob_url").isNull() || fallback.path("prowjob_url").isMissingNode()).isTrue();
    }

    @Test
    void aListingPageThatKeepsFailingMidwayReportsTheJobAndTheRunsListedBeforeAreRead(@TempDir Path dir)
            throws IOException {
        List<ObjectNode> all = history.runs("periodic-ci-flaky-listing", JobType.PERIODIC, DAY0, NOW,
                Duration.ofMinutes(20), 0);
        server.apiPageSize = 100;
        server.failNext("pageToken=200", 3, 503); // the first attempt and both retries
        List<String> warnings = new ArrayList<>();
        Checkpoints checkpoints = BackfillHarness.checkpoints(dir, warnings);
        BackfillHarness.Recorder recorder = new BackfillHarness.Recorder();
        List<BackfillJob> jobs = harness.jobs(newest(all), ALL, NOW);

        BackfillHarness.Printed first = harness.print(jobs, ALL, DAY0, NOW, checkpoints, recorder);

        assertThat(first.lines()).hasSize(200);
        assertThat(first.result().incomplete()).isTrue();
        assertThat(recorder.leftOut).singleElement().asString().isEqualTo("job periodic-ci-flaky-listing: listing"
                + " logs/periodic-ci-flaky-listing/ failed after 3 attempts: HTTP 503 (after 2 pages; the runs listed"
                + " before are read)");

        BackfillHarness.Printed second = harness.print(jobs, ALL, DAY0, NOW,
                BackfillHarness.checkpoints(dir, warnings), new BackfillHarness.Recorder());
        assertThat(second.result().incomplete()).isFalse();
        assertThat(second.result().skippedDone()).isEqualTo(200);
        assertThat(Stream.concat(first.lines().stream(), second.lines().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        assertThat(warnings).isEmpty();
    }

    @Test
    void theNextBatchIsReadWhileABatchWaitsForItsSlowestRead() throws Exception {
        List<ObjectNode> all = history.runs("periodic-ci-slow-read", JobType.PERIODIC, DAY0, NOW, Duration.ofHours(3),
                0);
        harness.batchSize = 10;
        harness.concurrency = 4;
        String firstOfFirstBatch = ProwHistory.id(all.get(0)) + "%2Fprowjob.json";
        String firstOfSecondBatch = ProwHistory.id(all.get(10)) + "%2Fprowjob.json";
        java.util.concurrent.CountDownLatch secondBatchAsked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean waitedInVain = new java.util.concurrent.atomic.AtomicBoolean();
        server.beforeAnswer = target -> {
            if (target.contains(firstOfSecondBatch)) {
                secondBatchAsked.countDown();
            }
            if (target.contains(firstOfFirstBatch)) {
                // held until the second batch is asked for: never, if the second batch waits for the first
                try {
                    waitedInVain.set(!secondBatchAsked.await(10, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };

        BackfillHarness.Printed printed = harness.print(harness.jobs(newest(all), ALL, NOW), ALL, DAY0, NOW,
                Checkpoints.none(), new BackfillHarness.Recorder());

        assertThat(printed.lines()).containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        assertThat(waitedInVain).as("the first batch's slow read held the second batch back").isFalse();
    }

    @Test
    void aKilledBackfillRunAgainRepeatsAtMostOneBatchOfRequests(@TempDir Path dir) throws IOException {
        List<ObjectNode> all = fourJobTypes();
        all.addAll(history.runs("periodic-ci-oadp-nightly", JobType.PERIODIC, DAY0, NOW, Duration.ofMinutes(15), 5));
        List<BackfillJob> jobs = harness.jobs(newest(all), ALL, NOW);
        harness.batchSize = 10;
        server.resetCounts();
        harness.print(jobs, ALL, DAY0, NOW, Checkpoints.none(), new BackfillHarness.Recorder());
        int uninterrupted = server.requestCount();
        server.resetCounts();

        StringWriter killedOut = new StringWriter();
        Backfill killed = harness.backfill(ALL, BackfillHarness.checkpoints(dir, new ArrayList<>()),
                new BackfillHarness.Recorder());
        int half = (all.size() / harness.batchSize) / 2;
        assertThatThrownBy(() -> killed.run(jobs, DAY0, NOW, BackfillHarness.failingOn(half + 1,
                new PrintSink(killedOut, new JsonLines())))).hasMessage("killed");
        int beforeKill = server.requestCount();
        server.resetCounts();
        BackfillHarness.Recorder recorder = new BackfillHarness.Recorder();
        BackfillHarness.Printed resumed = harness.print(jobs, ALL, DAY0, NOW,
                BackfillHarness.checkpoints(dir, new ArrayList<>()), recorder);
        int afterKill = server.requestCount();

        assertThat(recorder.resumed).isEqualTo(half * harness.batchSize);
        assertThat(Stream.concat(killedOut.toString().lines(), resumed.lines().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(harness.scrape(all, ALL));
        // repeated: the 5 listings, the batch the kill hit and at most --concurrency reads ahead of it
        int repeated = beforeKill + afterKill - uninterrupted;
        assertThat(repeated).as("requests repeated of %d", uninterrupted).isPositive()
                .isLessThanOrEqualTo(5 + harness.batchSize + harness.concurrency);
    }
}
