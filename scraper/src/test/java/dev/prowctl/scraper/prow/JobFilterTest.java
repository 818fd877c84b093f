package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobFilterTest {

    private static ProwJob job(String name) {
        return new ProwJob("n", Map.of(), "presubmit", name, "build01", null, List.of(), List.of(), "success",
                null, null, "1", null, null);
    }

    @ParameterizedTest
    @CsvSource({
            "*oadp*, pull-ci-openshift-oadp-operator-master-e2e, true",
            "*oadp*, periodic-ci-konveyor-pelorus, false",
            "*OADP*, pull-ci-openshift-oadp-operator-master-e2e, false",
            "pull-*-e2e, pull-ci-openshift-oadp-operator-master-e2e, true",
            "pull-*-e2e, pull-ci-openshift-oadp-operator-master-e2e-aws, false",
            "pull-ci-openshift-oadp-operator-master-e2e, pull-ci-openshift-oadp-operator-master-e2e, true",
            "pull-ci-openshift-oadp-operator-master, pull-ci-openshift-oadp-operator-master-e2e, false",
            "*4.10*, pull-ci-x-4.10-e2e, true",
            "*4.10*, pull-ci-x-4x10-e2e, false",
            "a+b(c)*, a+b(c)-d, true",
            "*, anything, true",
    })
    void globsLikeDeck(String glob, String name, boolean expected) {
        JobFilter filter = new JobFilter(glob, null, null, null, null, null, null);
        assertThat(filter.matcher().matches(job(name))).isEqualTo(expected);
    }

    @Test
    void optionsOverrideUrlFiltersAndEmptyOptionsDoNot() {
        JobFilter fromUrl = DeckUrl.parse("https://prow.ci.openshift.org/?job=*oadp*&type=periodic&state=failure")
                .filter();
        JobFilter merged = fromUrl.overriddenBy(new JobFilter("*velero*", null, "", null, null, null, "build02"));
        assertThat(merged).isEqualTo(new JobFilter("*velero*", "periodic", "failure", null, null, null, "build02"));
    }

    @Test
    void filtersTheCasesPayloadExactlyOnEachCriterion() throws IOException {
        var cases = Fixtures.resource(Fixtures.CASES);
        assertThat(jobs(cases, new JobFilter(null, "periodic", null, null, null, null, null)))
                .allMatch(j -> j.startsWith("periodic-")).hasSize(2);
        assertThat(jobs(cases, new JobFilter(null, null, "failure", null, null, null, null))).hasSize(2);
        // repo comes from refs (openshift/release for the rehearsal), else extra_refs[0] (periodics)
        assertThat(jobs(cases, new JobFilter(null, null, null, "openshift/release", null, null, null)))
                .containsExactly("rehearse-44000-pull-ci-openshift-oadp-operator-master-4.11-e2e");
        assertThat(jobs(cases, new JobFilter(null, "periodic", null, "openshift/oadp-operator", null, null, null)))
                .hasSize(2);
        // pull and author match any of a batch's pulls
        assertThat(jobs(cases, new JobFilter(null, null, null, null, "904", null, null)))
                .containsExactly("pull-ci-openshift-oadp-operator-master-4.10-e2e");
        assertThat(jobs(cases, new JobFilter(null, null, null, null, null, "frank", null))).hasSize(1);
        assertThat(jobs(cases, new JobFilter(null, null, null, null, "900", "alice", null))).hasSize(2);
        assertThat(jobs(cases, new JobFilter(null, null, null, null, null, null, "build02"))).hasSize(1);
        assertThat(jobs(cases, new JobFilter("*pelorus*", null, null, null, null, null, null))).hasSize(1);
    }

    private static List<String> jobs(java.nio.file.Path file, JobFilter filter) throws IOException {
        return Fixtures.collect(file, filter).runs().stream().map(ProwRun::job).toList();
    }
}
