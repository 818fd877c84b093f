package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRun.JobType;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Runs whose verdict cannot be told: never called flakes, never cached, and never missing from the output for longer
 * than the deferral bound.
 */
class UndecidedRunsTest extends ClassifierTestBase {

    private static final String E2E = "operator-e2e-aws";
    private static final String JOB = "pull-ci-openshift-oadp-operator-master-4.10-" + E2E;

    /** A failed presubmit of which the bucket holds nothing at all. */
    private ProwRun withoutArtifacts(String id) {
        return Fixtures.run(id, JOB, JobType.PRESUBMIT, false, "failure", E2E,
                server.spyglassUrl(BUCKET, "pr-logs/pull/openshift_oadp-operator/842/" + JOB + "/" + id), END);
    }

    /** The runs whose verdicts the saved cache holds (the ones a later scrape reuses). */
    private Set<String> cachedRuns() throws IOException {
        Path file = stateDir.resolve(FlakeCache.FILE_NAME);
        Set<String> ids = new HashSet<>();
        if (Files.exists(file)) {
            new ObjectMapper().readTree(file.toFile()).path("entries").fieldNames()
                    .forEachRemaining(key -> ids.add(key.substring(key.lastIndexOf('/') + 1)));
        }
        return ids;
    }

    private ArtifactsClassifier classifierAt(HttpUrl api, HttpUrl gcsweb) {
        return new ArtifactsClassifier(http, new ClassifierSettings(api, gcsweb, 4, Duration.ofSeconds(20), RETRIES),
                FlakeCache.open(stateDir, Clock.systemUTC(), warnings::add), listener, clock, clock);
    }

    @Test
    void aRunWhoseOwnArtifactsAreMissingIsNotAFlakeAndNotCached() throws IOException {
        ProwRun present = presubmit("2001", "failure", E2E); // run directory there, test step never ran
        ProwRun missing = withoutArtifacts("2002");

        List<ProwRun> out = classifier().classify(List.of(present, missing));

        assertThat(out).extracting(ProwRun::id).as("the missing one is deferred: its upload may be late")
                .containsExactly("2001");
        assertThat(out.get(0).flakeReason()).isEqualTo("no-build-log:e2e");
        assertThat(cachedRuns()).containsExactly("2001");
        assertThat(warnings).singleElement().asString().contains("#2002").contains("no artifacts");
    }

    @Test
    void throughGcswebTooAMissingRunDirectoryIsNoEvidence() throws IOException {
        server.refuseApi(BUCKET);
        ProwRun present = presubmit("2011", "failure", E2E);
        ProwRun missing = withoutArtifacts("2012");

        List<ProwRun> out = classifier().classify(List.of(present, missing));

        assertThat(out).extracting(ProwRun::id).containsExactly("2011");
        assertThat(out.get(0).state()).isEqualTo("flake");
        assertThat(cachedRuns()).containsExactly("2011");
    }

    @Test
    void whenNoRunOfAScrapeHasArtifactsTheUrlsAreWrongAndEveryFailureIsEmittedUndecided() throws IOException {
        List<ProwRun> runs = List.of(presubmit("2101", "failure", E2E), presubmit("2102", "failure", E2E),
                presubmit("2103", "success", E2E));
        HttpUrl wrongApi = server.url("/wrong-api/").newBuilder().username("robot").password("s3cret").build();
        HttpUrl wrongGcsweb = server.url("/wrong-gcs/");

        List<ProwRun> out = classifierAt(wrongApi, wrongGcsweb).classify(runs);

        assertThat(out).extracting(ProwRun::id).containsExactly("2101", "2102", "2103");
        assertThat(out.subList(0, 2)).allSatisfy(run -> {
            assertThat(run.state()).isEqualTo("failure");
            assertThat(run.flakeReason()).isEqualTo("undecided:no-artifacts");
        });
        assertThat(cachedRuns()).isEmpty();
        assertThat(warnings).singleElement().asString()
                .contains("artifacts of all 2 failed runs")
                .contains("--gcs-api-url http://***@" + wrongApi.host())
                .contains("--gcsweb-url " + wrongGcsweb)
                .contains("check them")
                .doesNotContain("s3cret");
    }

    @Test
    void artifactsRefusedEverywhereAreUndecidedAtOnceAndDecidedWhenReadable() throws IOException {
        server.refuseApi(BUCKET);
        server.refuseGcsweb(BUCKET);
        ProwRun run = presubmit("2201", "failure", E2E);

        assertThat(classifier().classify(List.of(run))).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo("failure");
            assertThat(r.flakeReason()).isEqualTo("undecided:http-403");
        });
        assertThat(cachedRuns()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("HTTP 403");

        server.allowAll();
        assertThat(classifier().classify(List.of(run))).singleElement()
                .satisfies(r -> assertThat(r.flakeReason()).isEqualTo("no-build-log:e2e"));
        assertThat(cachedRuns()).containsExactly("2201");
    }

    @Test
    void aRunDeferredForTheWholeBoundIsEmittedAsAnUndecidedFailure() throws IOException {
        ProwRun broken = presubmit("2301", "failure", E2E);
        ProwRun fine = presubmit("2302", "failure", E2E, testLog(E2E, "e2e"));
        server.failNext("2301", 1_000, 503);

        assertThat(classifier().classify(List.of(broken, fine))).extracting(ProwRun::id).containsExactly("2302");
        clock.advance(Duration.ofHours(6).minusMinutes(1));
        assertThat(classifier().classify(List.of(broken, fine))).extracting(ProwRun::id)
                .as("still within the 6 h bound").containsExactly("2302");
        clock.advance(Duration.ofMinutes(1));
        List<ProwRun> out = classifier().classify(List.of(broken, fine));

        assertThat(out).extracting(ProwRun::id).containsExactly("2301", "2302");
        assertThat(out.get(0).state()).isEqualTo("failure");
        assertThat(out.get(0).flakeReason()).isEqualTo("undecided:http-503");
        assertThat(cachedRuns()).containsExactly("2302");
        assertThat(warnings).last().asString().contains("1 emitted as failure");
    }

    @Test
    void aDeferredRunAboutToLeaveDecksWindowIsEmittedAtOnce() {
        ProwRun old = presubmit("2401", "failure", E2E);
        ProwRun fine = presubmit("2402", "failure", E2E, testLog(E2E, "e2e"));
        clock.wallClockAt(old.startTime().plus(Duration.ofMinutes(23 * 60 + 30)));
        server.failNext("2401", 1_000, 503);

        List<ProwRun> out = classifier().classify(List.of(old, fine));

        assertThat(out).extracting(ProwRun::id).containsExactly("2401", "2402");
        assertThat(out.get(0).flakeReason()).isEqualTo("undecided:http-503");
    }

    @Test
    void aSpyglassPageThatIsMissingOrNotASpyglassPageIsNoVerdict() throws IOException {
        server.refuseApi(BUCKET); // to gcsweb, whose prefix is unknown: the spyglass page's link is needed
        ProwRun noPage = periodic("2501", "failure", "operator-e2e-aws-periodic-slack");
        ProwRun loginPage = periodic("2502", "failure", "operator-e2e-aws-periodic-slack");
        server.spyglassPage(BUCKET, "logs/" + loginPage.job() + "/2502",
                "<html><head><title>Sign in</title></head><body><form action=\"/oauth/start\"></form></body></html>");

        List<ProwRun> out = classifier(null, Duration.ofSeconds(20), 2).classify(List.of(noPage, loginPage));

        assertThat(out).noneMatch(r -> "no-artifacts-link".equals(r.flakeReason()));
        assertThat(out).allSatisfy(r -> assertThat(r.state()).isEqualTo("failure"));
        assertThat(cachedRuns()).isEmpty();
    }

    @Test
    void aServerThatAnswersAnythingWithOkShowsNoArtifacts() throws IOException {
        try (MockWebServer catchAll = new MockWebServer()) {
            catchAll.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse(200, Headers.of("Content-Type", "application/json"), "{}");
                }
            });
            catchAll.start(InetAddress.getLoopbackAddress(), 0);
            List<ProwRun> runs = List.of(presubmit("2601", "failure", E2E), presubmit("2602", "failure", E2E));

            List<ProwRun> out = classifierAt(catchAll.url("/"), catchAll.url("/gcs/")).classify(runs);

            assertThat(out).as("'{}' as junit_operator.xml is no sign of the run").allSatisfy(r -> {
                assertThat(r.state()).isEqualTo("failure");
                assertThat(r.flakeReason()).isEqualTo("undecided:no-artifacts");
            });
            assertThat(cachedRuns()).isEmpty();
        }
    }

    @Test
    void aSpyglassPageBehindALoginWallIsUndecidedAtOnce() {
        server.refuseApi(BUCKET);
        ProwRun run = periodic("2701", "failure", "operator-e2e-aws-periodic-slack");
        server.failNext("/view/gs/", 100, 401);

        List<ProwRun> out = classifier(null, Duration.ofSeconds(20), 2).classify(List.of(run));

        assertThat(out).as("a 401 will not heal: not left out for hours").singleElement()
                .satisfies(r -> assertThat(r.flakeReason()).isEqualTo("undecided:http-401"));
    }

    @Test
    void withAStateDirectoryThatCannotBeWrittenNothingIsLeftOut() throws IOException {
        Path notADirectory = stateDir.resolve("not-a-dir");
        Files.writeString(notADirectory, "x");
        ArtifactsClassifier classifier = new ArtifactsClassifier(http, new ClassifierSettings(server.apiUrl(),
                server.gcswebPrefix(), 2, Duration.ofSeconds(20), RETRIES),
                FlakeCache.open(notADirectory, Clock.systemUTC(), warnings::add), listener, clock, clock);
        ProwRun broken = presubmit("2801", "failure", E2E);
        server.failNext("2801", 1_000, 503);

        List<ProwRun> out = classifier.classify(List.of(broken));

        assertThat(out).as("when it was first deferred cannot be kept, so the bound could not hold").singleElement()
                .satisfies(r -> assertThat(r.flakeReason()).isEqualTo("undecided:http-503"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("flake cache not saved"));
    }
}
