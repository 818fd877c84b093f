package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.flake.JunitOperatorReport.FailedStep;
import dev.prowctl.scraper.flake.JunitOperatorReport.Kind;

class JunitOperatorReportTest {

    @Test
    void anInstallStepFailingInThePrePhaseIsInfrastructure() {
        JunitOperatorReport report = JunitOperatorReport.parse(Fixtures.resource("junit-install-failed.xml"));

        assertThat(report.testCases()).hasSize(14);
        assertThat(report.testCases()).filteredOn(JunitOperatorReport.TestCase::failed)
                .extracting(JunitOperatorReport.TestCase::step)
                .containsExactly("ipi-install-install", "pre-phase", "operator-e2e-aws");
        assertThat(report.failedStep()).contains(new FailedStep("ipi-install-install", true));
    }

    @Test
    void theTestStepFailingInTheTestPhaseIsARealFailure() {
        JunitOperatorReport report = JunitOperatorReport.parse(Fixtures.resource("junit-test-failed.xml"));

        assertThat(report.failedStep()).contains(new FailedStep("e2e", false));
    }

    @Test
    void aLeaseThatCouldNotBeAcquiredIsInfrastructure() {
        JunitOperatorReport report = JunitOperatorReport.parse(Fixtures.resource("junit-lease-failed.xml"));

        assertThat(report.testCases()).last().extracting(JunitOperatorReport.TestCase::kind)
                .isEqualTo(Kind.WHOLE_TEST);
        assertThat(report.failedStep()).contains(new FailedStep(JunitOperatorReport.LEASE_STEP, true));
    }

    @Test
    void onlyAPostStepFailingIsARealFailureNamedAfterIt() {
        // testsuite root (no testsuites), no phase testcases: decided by step names
        JunitOperatorReport report = JunitOperatorReport.parse(Fixtures.resource("junit-post-failed.xml"));

        assertThat(report.failedStep()).contains(new FailedStep("gather-extra", false));
    }

    @Test
    void aReportWithoutFailuresGivesNoVerdict() {
        assertThat(JunitOperatorReport.parse(Fixtures.resource("junit-passed.xml")).failedStep()).isEmpty();
    }

    @Test
    void withoutPhasesAnInstallWordMarksInfrastructure() {
        String xml = """
                <testsuite name="operator">
                  <testcase name="Run multi-stage test e2e-metal - e2e-metal-baremetalds-devscripts-setup container test">
                    <failure message="">pod failed</failure>
                  </testcase>
                  <testcase name="Run multi-stage test e2e-metal - e2e-metal-baremetalds-e2e-test container test"/>
                </testsuite>""";

        assertThat(JunitOperatorReport.parse(xml).failedStep())
                .contains(new FailedStep("baremetalds-devscripts-setup", true));
    }

    @Test
    void aFailedImageBuildIsARealFailureWithASluggedName() {
        String xml = """
                <testsuites><testsuite name="operator">
                  <testcase name="Build image oadp-operator from the repository"><failure message="">make: *** [build] Error 2</failure></testcase>
                </testsuite></testsuites>""";

        assertThat(JunitOperatorReport.parse(xml).failedStep())
                .contains(new FailedStep("build-image-oadp-operator-from-the-repository", false));
    }

    @Test
    void wordsAreMatchedWholeNotAsSubstrings() {
        assertThat(JunitOperatorReport.hasWord("ipi-install-install", JunitOperatorReport.INFRA_WORDS)).isTrue();
        assertThat(JunitOperatorReport.hasWord("ipi-deprovision-deprovision", JunitOperatorReport.INFRA_WORDS))
                .isFalse();
        assertThat(JunitOperatorReport.hasWord("openshift-e2e-test-presubmit", JunitOperatorReport.INFRA_WORDS))
                .isFalse();
    }

    @Test
    void malformedXmlIsRejected() {
        String truncated = Fixtures.resource("junit-test-failed.xml").substring(0, 700);

        assertThatThrownBy(() -> JunitOperatorReport.parse(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not well-formed");
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityCanBeExpanded() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<testsuite><testcase name=\"&x;\"/></testsuite>";

        assertThatThrownBy(() -> JunitOperatorReport.parse(xml)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDocumentThatIsNotJunitIsRejected() {
        assertThatThrownBy(() -> JunitOperatorReport.parse("<html><body/></html>"))
                .hasMessageContaining("not <testsuite(s)>");
    }
}
