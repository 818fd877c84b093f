package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpyglassLinksTest {

    private static final String PAGE = "https://prow.ci.openshift.org/view/gs/origin-ci-test/pr-logs/pull/"
            + "openshift_oadp-operator/842/pull-ci-openshift-oadp-operator-master-4.10-operator-e2e-aws/"
            + "1599731523283013632";

    @Test
    void readsEveryLinkByItsTextWhenAllArePresent() {
        SpyglassLinks links = SpyglassLinks.parse(Fixtures.resource("spyglass-full.html"), PAGE);

        assertThat(links.artifacts()).isEqualTo("https://gcsweb-ci.apps.ci.l2s4.p1.openshiftapps.com/gcs/"
                + "origin-ci-test/pr-logs/pull/openshift_oadp-operator/842/"
                + "pull-ci-openshift-oadp-operator-master-4.10-operator-e2e-aws/1599731523283013632/");
        assertThat(links.prowjobYaml())
                .isEqualTo("https://prow.ci.openshift.org/prowjob?prowjob=4c1f7e4a-73a6-11ed-9a4c-0a580a80034e");
        assertThat(links.pullRequest()).isEqualTo("https://github.com/openshift/oadp-operator/pull/842");
        assertThat(links.prHistory())
                .isEqualTo("https://prow.ci.openshift.org/pr-history?org=openshift&repo=oadp-operator&pr=842");
        assertThat(links.jobHistory()).startsWith("https://prow.ci.openshift.org/job-history/gs/origin-ci-test/");
    }

    @Test
    void findsTheArtifactsLinkWhenTheYamlAndPrLinksAreGone() {
        // Once the job left deck's cache the YAML and PR links vanish: Artifacts moves from 5th to 2nd place.
        String html = Fixtures.resource("spyglass-no-yaml-pr.html").replace("ARTIFACTS_HREF",
                "https://gcsweb-ci.apps.ci.l2s4.p1.openshiftapps.com/gcs/origin-ci-test/logs/"
                        + "periodic-ci-openshift-oadp-operator-master-4.10-operator-e2e-aws-periodic-slack/"
                        + "1599001122334455667/");

        SpyglassLinks links = SpyglassLinks.parse(html, "https://prow.ci.openshift.org/view/gs/origin-ci-test/logs/x/1");

        assertThat(links.artifacts()).endsWith("/1599001122334455667/");
        assertThat(links.artifactsLink()).isPresent();
        assertThat(links.prowjobYaml()).isNull();
        assertThat(links.pullRequest()).isNull();
        assertThat(links.prHistory()).isNull();
        assertThat(links.jobHistory()).contains("/job-history/");
    }

    @Test
    void aPageWithoutLinksCardOrArtifactsGivesNothing() {
        SpyglassLinks links = SpyglassLinks.parse("<html><body><p>Job not found</p>"
                + "<a href=\"/\">Prow Status</a></body></html>", PAGE);

        assertThat(links.artifactsLink()).isEmpty();
        assertThat(links.prowjobYaml()).isNull();
    }

    @Test
    void thePrLinkIsNotConfusedWithPrHistory() {
        SpyglassLinks links = SpyglassLinks.parse("<div id=\"links-card\"><a href=\"/pr-history?pr=1\">PR History</a>"
                + "</div>", PAGE);

        assertThat(links.pullRequest()).isNull();
        assertThat(links.prHistory()).endsWith("/pr-history?pr=1");
    }
}
