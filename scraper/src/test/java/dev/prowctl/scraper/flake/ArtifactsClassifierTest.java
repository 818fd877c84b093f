package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRun.JobType;

/** The classifier's verdicts, its ways to the artifacts and its cache, against the local fakes. */
class ArtifactsClassifierTest extends ClassifierTestBase {

    // ---- verdicts ----------------------------------------------------------------------------------------------

    @Test
    void flakeFailureAndSuccessForPeriodicPresubmitAndRehearsalRuns() {
        List<ProwRun> runs = List.of(
                periodic("101", "failure", "operator-e2e-aws-periodic-slack",
                        "artifacts/operator-e2e-aws-periodic-slack/e2e/finished.json"),
                periodic("102", "failure", "operator-e2e-aws-periodic-slack",
                        testLog("operator-e2e-aws-periodic-slack", "e2e")),
                periodic("103", "success", "operator-e2e-aws-periodic-slack"),
                presubmit("201", "failure", "operator-e2e-aws"),
                presubmit("202", "failure", "operator-e2e-aws", testLog("operator-e2e-aws", "e2e")),
                presubmit("203", "success", "operator-e2e-aws"),
                rehearsal("301", "failure", "operator-e2e-azure"),
                rehearsal("302", "failure", "operator-e2e-azure", testLog("operator-e2e-azure", "e2e")),
                rehearsal("303", "success", "operator-e2e-azure"));

        List<ProwRun> result = classifier().classify(runs);

        assertThat(result).extracting(ProwRun::id).containsExactly("101", "102", "103", "201", "202", "203", "301",
                "302", "303");
        Map<String, ProwRun> out = byId(result);
        for (String flake : List.of("101", "201", "301")) {
            assertThat(out.get(flake).state()).as(flake).isEqualTo("flake");
            assertThat(out.get(flake).stateInt()).isEqualTo(4);
            assertThat(out.get(flake).flakeReason()).isEqualTo("no-build-log:e2e");
        }
        for (String failure : List.of("102", "202", "302")) {
            assertThat(out.get(failure).state()).as(failure).isEqualTo("failure");
            assertThat(out.get(failure).flakeReason()).isEqualTo("build-log:e2e");
        }
        for (int success : new int[] {2, 5, 8}) {
            assertThat(result.get(success)).as("success runs pass through untouched").isSameAs(runs.get(success));
            assertThat(result.get(success).flakeReason()).isNull();
        }
        assertThat(server.requests()).as("successes cost nothing")
                .noneMatch(r -> r.contains("%2F103") || r.contains("%2F203") || r.contains("%2F303")
                        || r.contains("/103") || r.contains("/203") || r.contains("/303"));
        assertThat(server.requestCount()).as("one listing and one junit read per failed run, and a listing of the "
                + "run directory for 201 and 301, whose test step directory is empty").isEqualTo(14);
        assertThat(server.requests()).filteredOn(r -> r.contains("%2F201%2F&") || r.contains("%2F301%2F&"))
                .as("the run directories listed: the missing build-log.txt counts only because the run is there")
                .hasSize(2);
        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.candidates()).isEqualTo(6);
            assertThat(s.lookedUp()).isEqualTo(6);
            assertThat(s.flakes()).isEqualTo(3);
            assertThat(s.requests()).isEqualTo(14);
            assertThat(s.deferred()).isZero();
        });
        assertThat(progress).last().satisfies(p -> assertThat(p).containsExactly(6, 6));
        assertThat(warnings).isEmpty();
    }

    @Test
    void unitJobsLookInUnitAndUnitPeriodic() {
        ProwRun presubmitUnit = run("401", "pull-ci-openshift-oadp-operator-master-unit-test", JobType.PRESUBMIT,
                false, "failure", "unit-test", "pr-logs/pull/openshift_oadp-operator/842/unit/401",
                testLog("unit-test", "unit"));
        ProwRun periodicUnit = run("402", "periodic-ci-openshift-oadp-operator-master-unit-periodic",
                JobType.PERIODIC, false, "failure", "unit-periodic", "logs/unit-periodic/402",
                testLog("unit-periodic", "unit"));

        Map<String, ProwRun> out = byId(classifier().classify(List.of(presubmitUnit, periodicUnit)));

        assertThat(out.get("401").flakeReason()).isEqualTo("build-log:unit");
        assertThat(out.get("402").state()).isEqualTo("flake");
        assertThat(out.get("402").flakeReason()).isEqualTo("no-build-log:unit-periodic");
    }

    @Test
    void runsOutsideTheRulesKeepTheirStateAndCostNoRequest() {
        ProwRun noTarget = Fixtures.run("501", "pull-ci-openshift-oadp-operator-master-e2e", JobType.PRESUBMIT,
                false, "failure", null, server.spyglassUrl(BUCKET, "pr-logs/x/501"), END);
        ProwRun images = presubmit("502", "failure", "images");
        ProwRun aborted = presubmit("503", "aborted", "operator-e2e-aws");
        ProwRun error = presubmit("504", "error", "operator-e2e-aws");

        List<ProwRun> out = classifier().classify(List.of(noTarget, images, aborted, error));

        assertThat(out).containsExactly(noTarget, images, aborted, error);
        assertThat(server.requestCount()).isZero();
        assertThat(summaries).singleElement().extracting(ClassificationSummary::candidates).isEqualTo(0);
    }

    @Test
    void junitIsTheStrongerSignalAndADisagreementIsSaid() {
        ProwRun installFailedButLogPresent = presubmit("601", "failure", "operator-e2e-aws",
                testLog("operator-e2e-aws", "e2e"), junit("junit-install-failed.xml"));
        ProwRun installFailed = presubmit("602", "failure", "operator-e2e-aws", junit("junit-install-failed.xml"));
        ProwRun testFailed = presubmit("603", "failure", "operator-e2e-aws", testLog("operator-e2e-aws", "e2e"),
                junit("junit-test-failed.xml"));
        ProwRun testFailedNoLog = presubmit("604", "failure", "operator-e2e-aws", junit("junit-test-failed.xml"));
        ProwRun leaseFailed = periodic("605", "failure", "operator-e2e-gcp", junit("junit-lease-failed.xml"));
        ProwRun junitTruncated = presubmit("606", "failure", "operator-e2e-aws");
        server.put(BUCKET, "pr-logs/pull/openshift_oadp-operator/842/pull-ci-openshift-oadp-operator-master-4.10-"
                + "operator-e2e-aws/606/artifacts/junit_operator.xml", "<testsuites><testsuite name=\"operator\">"
                + "<testcase name=\"Run multi-st");

        Map<String, ProwRun> out = byId(classifier().classify(List.of(installFailedButLogPresent, installFailed,
                testFailed, testFailedNoLog, leaseFailed, junitTruncated)));

        assertThat(out.get("601").state()).isEqualTo("flake");
        assertThat(out.get("601").flakeReason()).isEqualTo("failed-step:ipi-install-install;listing-disagrees");
        assertThat(out.get("602").state()).isEqualTo("flake");
        assertThat(out.get("602").flakeReason()).isEqualTo("failed-step:ipi-install-install");
        assertThat(out.get("603").state()).isEqualTo("failure");
        assertThat(out.get("603").flakeReason()).isEqualTo("failed-step:e2e");
        assertThat(out.get("604").state()).isEqualTo("failure");
        assertThat(out.get("604").flakeReason()).isEqualTo("failed-step:e2e;listing-disagrees");
        assertThat(out.get("605").state()).isEqualTo("flake");
        assertThat(out.get("605").flakeReason()).isEqualTo("failed-step:lease-acquisition");
        assertThat(out.get("606").state()).isEqualTo("flake");
        assertThat(out.get("606").flakeReason()).isEqualTo("no-build-log:e2e;junit-unreadable");
    }

    // ---- access paths ------------------------------------------------------------------------------------------

    @Test
    void aBucketTheApiRefusesIsReadThroughGcsweb() {
        server.refuseApi(BUCKET);
        ProwRun flake = presubmit("701", "failure", "operator-e2e-aws", junit("junit-install-failed.xml"));
        ProwRun failure = presubmit("702", "failure", "operator-e2e-aws", testLog("operator-e2e-aws", "e2e"));
        ProwRun flake2 = periodic("703", "failure", "operator-e2e-aws-periodic-slack");

        Map<String, ProwRun> out = byId(classifier(server.gcswebPrefix(), Duration.ofSeconds(20), 1)
                .classify(List.of(flake, failure, flake2)));

        assertThat(out.get("701").flakeReason()).isEqualTo("failed-step:ipi-install-install");
        assertThat(out.get("702").flakeReason()).isEqualTo("build-log:e2e");
        assertThat(out.get("703").flakeReason()).isEqualTo("no-build-log:e2e");
        assertThat(server.requests()).filteredOn(r -> r.startsWith("/storage/"))
                .as("after the first 403 the bucket goes straight to gcsweb").hasSize(1);
        assertThat(server.requests()).filteredOn(r -> r.startsWith("/gcs/"))
                .as("two per run, and 703's run directory (its test step directory is empty)").hasSize(7);
    }

    @Test
    void listingsArePagedOnBothPaths() {
        server.apiPageSize = 1;
        server.gcswebPageSize = 1;
        String target = "operator-e2e-aws";
        ProwRun viaApi = presubmit("801", "failure", target, "artifacts/" + target + "/e2e/artifacts/a.txt",
                "artifacts/" + target + "/e2e/a-first.txt", testLog(target, "e2e"));

        assertThat(classifier().classify(List.of(viaApi))).singleElement()
                .extracting(ProwRun::flakeReason).isEqualTo("build-log:e2e");
        assertThat(server.requests()).filteredOn(r -> r.contains("pageToken=")).hasSize(2);

        server.refuseApi(BUCKET);
        ProwRun viaGcsweb = presubmit("802", "failure", target, "artifacts/" + target + "/e2e/artifacts/a.txt",
                "artifacts/" + target + "/e2e/a-first.txt", testLog(target, "e2e"));
        assertThat(classifier().classify(List.of(viaGcsweb))).singleElement()
                .extracting(ProwRun::flakeReason).isEqualTo("build-log:e2e");
        assertThat(server.requests()).filteredOn(r -> r.contains("marker=")).hasSize(2);
    }

    @Test
    void withoutAGcswebPrefixTheSpyglassArtifactsLinkIsFollowed() {
        server.refuseApi(BUCKET);
        ProwRun run = periodic("901", "failure", "operator-e2e-aws-periodic-slack", junit("junit-test-failed.xml"),
                testLog("operator-e2e-aws-periodic-slack", "e2e"));
        String path = "logs/" + run.job() + "/901";
        server.spyglassPage(BUCKET, path, Fixtures.resource("spyglass-no-yaml-pr.html")
                .replace("ARTIFACTS_HREF", server.gcswebPrefix() + BUCKET + "/" + path + "/"));
        ProwRun noLink = periodic("902", "failure", "operator-e2e-aws-periodic-slack");
        server.spyglassPage(BUCKET, "logs/" + noLink.job() + "/902", "<html><body><div id=\"links-card\">"
                + "<a href=\"/job-history/x\">Job History</a></div></body></html>");

        Map<String, ProwRun> out = byId(classifier(null, Duration.ofSeconds(20), 2).classify(List.of(run, noLink)));

        assertThat(out.get("901").flakeReason()).isEqualTo("failed-step:e2e");
        assertThat(out.get("902").state()).isEqualTo("failure");
        assertThat(out.get("902").flakeReason()).isEqualTo("no-artifacts-link");
        assertThat(server.requests()).filteredOn(r -> r.startsWith("/view/gs/")).hasSize(2);
    }

    @Test
    void artifactsThatAreNotPublicAnywhereStayFailuresAtOnceButUndecided() {
        server.refuseApi(BUCKET);
        server.refuseGcsweb(BUCKET);

        List<ProwRun> out = classifier().classify(List.of(presubmit("1001", "failure", "operator-e2e-aws")));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo("failure");
            assertThat(r.flakeReason()).isEqualTo("undecided:http-403");
        });
        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.undecided()).isEqualTo(1);
            assertThat(s.deferred()).isZero();
        });
    }

    // ---- cache -------------------------------------------------------------------------------------------------

    @Test
    void aRepeatedScrapeAsksNothingForRunsAlreadyClassified() {
        List<ProwRun> runs = List.of(
                periodic("1501", "failure", "operator-e2e-aws-periodic-slack"),
                presubmit("1502", "failure", "operator-e2e-aws", testLog("operator-e2e-aws", "e2e"),
                        junit("junit-test-failed.xml")),
                rehearsal("1503", "failure", "operator-e2e-azure", junit("junit-install-failed.xml")),
                presubmit("1504", "success", "operator-e2e-aws"));
        List<ProwRun> cold = classifier().classify(runs);
        assertThat(server.requestCount()).as("two per failed run, and 1501's run directory").isEqualTo(7);

        server.resetCounts();
        List<ProwRun> warm = classifier().classify(runs);

        assertThat(server.requestCount()).as("warm scrape: zero artifact requests").isZero();
        assertThat(warm).isEqualTo(cold);
        assertThat(summaries.get(1).fromCache()).isEqualTo(3);
        assertThat(summaries.get(1).requests()).isZero();
    }

    @Test
    void aCorruptCacheIsRebuiltWithOneWarning() throws IOException {
        Files.writeString(stateDir.resolve(FlakeCache.FILE_NAME), "\u0000\u0001garbage");
        ProwRun run = presubmit("1601", "failure", "operator-e2e-aws");

        List<ProwRun> out = classifier().classify(List.of(run));

        assertThat(out).singleElement().extracting(ProwRun::state).isEqualTo("flake");
        assertThat(warnings).singleElement().asString().contains("unusable").contains("starting a new one");
        server.resetCounts();
        classifier().classify(List.of(run));
        assertThat(server.requestCount()).isZero();
        assertThat(warnings).hasSize(1);
    }

    @Test
    void anUnwritableStateDirectoryWarnsAndStillClassifies() throws IOException {
        Path file = stateDir.resolve("not-a-dir");
        Files.writeString(file, "x");
        ArtifactsClassifier classifier = new ArtifactsClassifier(http, new ClassifierSettings(server.apiUrl(),
                server.gcswebPrefix(), 2, Duration.ofSeconds(10), RETRIES),
                FlakeCache.open(file, Clock.systemUTC(), warnings::add), listener, clock, clock);

        List<ProwRun> out = classifier.classify(List.of(presubmit("1701", "failure", "operator-e2e-aws")));

        assertThat(out).singleElement().extracting(ProwRun::state).isEqualTo("flake");
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("flake cache not saved"));
    }
}
