package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.flake.FlakeRules.Verdict;
import dev.prowctl.scraper.flake.JunitOperatorReport.FailedStep;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRun.JobType;

class FlakeRulesTest {
    private static final Instant END = Instant.parse("2026-11-27T10:00:00Z");

    private static ProwRun run(String job, JobType type, String state, String target) {
        return Fixtures.run("1", job, type, false, state, target, "https://prow.example/view/gs/b/logs/j/1", END);
    }

    @Test
    void e2eJobsUseTheE2eStep() {
        assertThat(FlakeRules.testStepDir(run("pull-ci-openshift-oadp-operator-master-4.10-operator-e2e-aws",
                JobType.PRESUBMIT, "failure", "operator-e2e-aws"))).contains("e2e");
        assertThat(FlakeRules.testStepDir(run("periodic-ci-openshift-oadp-operator-master-4.8-operator-e2e-azure-"
                + "periodic-slack", JobType.PERIODIC, "failure", "operator-e2e-azure-periodic-slack"))).contains("e2e");
    }

    @Test
    void unitJobsUseUnitOrUnitPeriodic() {
        assertThat(FlakeRules.testStepDir(run("pull-ci-openshift-oadp-operator-master-unit-test",
                JobType.PRESUBMIT, "failure", "unit-test"))).contains("unit");
        assertThat(FlakeRules.testStepDir(run("periodic-ci-openshift-oadp-operator-master-unit-periodic",
                JobType.PERIODIC, "failure", "unit-periodic"))).contains("unit-periodic");
    }

    @Test
    void runsOutsideThePatternOrWithoutTargetAreNotCandidates() {
        assertThat(FlakeRules.isCandidate(run("pull-ci-openshift-oadp-operator-master-images", JobType.PRESUBMIT,
                "failure", "[images]"))).isFalse();
        assertThat(FlakeRules.isCandidate(run("pull-ci-redhat-community-operators-lint", JobType.PRESUBMIT,
                "failure", "lint"))).as("'community' is not the word unit").isFalse();
        assertThat(FlakeRules.isCandidate(run("pull-ci-openshift-oadp-operator-master-e2e", JobType.PRESUBMIT,
                "failure", null))).as("no target").isFalse();
        assertThat(FlakeRules.isCandidate(run("pull-ci-openshift-oadp-operator-master-e2e", JobType.PRESUBMIT,
                "failure", " "))).as("blank target").isFalse();
    }

    @Test
    void onlyFailuresAreCandidates() {
        for (String state : new String[] {"success", "aborted", "error", "pending"}) {
            assertThat(FlakeRules.isCandidate(run("pull-ci-x-e2e-aws", JobType.PRESUBMIT, state, "e2e-aws")))
                    .as(state).isFalse();
        }
        assertThat(FlakeRules.isCandidate(run("pull-ci-x-e2e-aws", JobType.PRESUBMIT, "failure", "e2e-aws")))
                .isTrue();
    }

    @Test
    void withoutJunitTheListingDecides() {
        assertThat(FlakeRules.decide("e2e", false, Optional.empty(), false))
                .isEqualTo(new Verdict(true, "no-build-log:e2e"));
        assertThat(FlakeRules.decide("unit", true, Optional.empty(), false))
                .isEqualTo(new Verdict(false, "build-log:unit"));
        assertThat(FlakeRules.decide("e2e", false, Optional.empty(), true))
                .isEqualTo(new Verdict(true, "no-build-log:e2e;junit-unreadable"));
    }

    @Test
    void junitWinsAndADisagreementIsRecorded() {
        FailedStep install = new FailedStep("ipi-install-install", true);
        FailedStep test = new FailedStep("e2e", false);

        assertThat(FlakeRules.decide("e2e", false, Optional.of(install), false))
                .isEqualTo(new Verdict(true, "failed-step:ipi-install-install"));
        assertThat(FlakeRules.decide("e2e", true, Optional.of(install), false))
                .isEqualTo(new Verdict(true, "failed-step:ipi-install-install;listing-disagrees"));
        assertThat(FlakeRules.decide("e2e", true, Optional.of(test), false))
                .isEqualTo(new Verdict(false, "failed-step:e2e"));
        assertThat(FlakeRules.decide("e2e", false, Optional.of(test), false))
                .isEqualTo(new Verdict(false, "failed-step:e2e;listing-disagrees"));
    }
}
