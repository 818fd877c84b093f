package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunLocationTest {

    @Test
    void bucketAndPathComeFromTheSpyglassUrl() {
        assertThat(RunLocation.fromSpyglassUrl("https://prow.ci.openshift.org/view/gs/test-platform-results/"
                + "pr-logs/pull/openshift_oadp-operator/625/pull-ci-openshift-oadp-operator-master-operator-e2e/"
                + "1511801143959752704"))
                .contains(new RunLocation("test-platform-results", "pr-logs/pull/openshift_oadp-operator/625/"
                        + "pull-ci-openshift-oadp-operator-master-operator-e2e/1511801143959752704"));
        assertThat(RunLocation.fromSpyglassUrl("https://deck.example/prow/view/gs/origin-ci-test/logs/j/1/"))
                .contains(new RunLocation("origin-ci-test", "logs/j/1"));
    }

    @Test
    void otherUrlsHaveNoLocation() {
        assertThat(RunLocation.fromSpyglassUrl(null)).isEmpty();
        assertThat(RunLocation.fromSpyglassUrl("not a url")).isEmpty();
        assertThat(RunLocation.fromSpyglassUrl("https://github.com/openshift/oadp-operator/pull/1#issuecomment-2"))
                .isEmpty();
        assertThat(RunLocation.fromSpyglassUrl("https://deck.example/view/s3/bucket/logs/j/1")).isEmpty();
        assertThat(RunLocation.fromSpyglassUrl("https://deck.example/view/gs/bucket")).isEmpty();
    }

    @Test
    void objectPrefixAndKey() {
        RunLocation loc = new RunLocation("b", "logs/j/1");
        assertThat(loc.objectPrefix("artifacts/t/e2e")).isEqualTo("logs/j/1/artifacts/t/e2e/");
        assertThat(loc.objectPrefix("artifacts/t/e2e/")).isEqualTo("logs/j/1/artifacts/t/e2e/");
        assertThat(loc.key()).isEqualTo("b/logs/j/1");
    }
}
