package dev.prowctl.scraper.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.prowctl.scraper.prow.ProwRun;

class LineProtocolTest {

    static ProwRun run(String id, String job, String state) {
        return new ProwRun(id, "uuid-" + id, job, ProwRun.JobType.PRESUBMIT, false, state,
                Instant.parse("2023-11-14T22:13:20Z"), Instant.parse("2023-11-14T23:01:00Z"), "openshift",
                "oadp-operator", "master", 900, "https://github.com/openshift/oadp-operator/pull/900", "abc", "e2e",
                "aws", "4.10", "build01", "https://prow.example/view/gs/b/p/" + id, "https://prow.example/prowjob?prowjob=u",
                "https://gcsweb.example/gcs/b/p/" + id + "/", null);
    }

    @Test
    void writesTheDocumentedSchema() {
        String line = new LineProtocol("build").line(run("1700000000000000001", "pull-ci-oadp-e2e", "success"));
        assertThat(line).isEqualTo("build,job_name=pull-ci-oadp-e2e,type=presubmit,rehearsal=false,org=openshift,"
                + "repo=oadp-operator,base_ref=master,pull_request=900,target=e2e,cluster_profile=aws,variant=4.10,"
                + "cluster=build01 build_id=\"1700000000000000001\",state=\"success\",state_int=0i,duration=2860i,"
                + "start_time=\"2023-11-14T22:13:20Z\",end_time=\"2023-11-14T23:01:00Z\","
                + "log=\"https://prow.example/view/gs/b/p/1700000000000000001\","
                + "prowjob_url=\"https://prow.example/prowjob?prowjob=u\","
                + "artifacts_url=\"https://gcsweb.example/gcs/b/p/1700000000000000001/\","
                + "pull_request_url=\"https://github.com/openshift/oadp-operator/pull/900\" 1700000000000000001");
    }

    @Test
    void omitsAbsentTagsAndFieldsAndAddsTheFlakeReason() {
        ProwRun periodic = new ProwRun("7", null, "periodic-x", ProwRun.JobType.PERIODIC, false, "failure",
                Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2023-01-01T00:00:05Z"), null, null, null, null,
                null, null, null, null, null, null, null, null, null, null).classified(true, "no-build-log:e2e");
        assertThat(new LineProtocol("build").line(periodic)).isEqualTo(
                "build,job_name=periodic-x,type=periodic,rehearsal=false build_id=\"7\",state=\"flake\",state_int=4i,"
                        + "duration=5i,start_time=\"2023-01-01T00:00:00Z\",end_time=\"2023-01-01T00:00:05Z\","
                        + "flake_reason=\"no-build-log:e2e\" 1672531200000000007");
    }

    @Test
    void runsOfOneJobStartingInTheSameSecondGetDistinctStableTimestamps() {
        long a = LineProtocol.timestamp(run("1700000000000000001", "j", "success"));
        long b = LineProtocol.timestamp(run("1700000000000000002", "j", "success"));
        assertThat(a).isNotEqualTo(b);
        assertThat(a / 1_000_000_000L).isEqualTo(b / 1_000_000_000L).isEqualTo(1700000000L);
        // the state is a field: the run classified later lands on the same point
        assertThat(LineProtocol.timestamp(run("1700000000000000001", "j", "failure").classified(true, "x")))
                .isEqualTo(a);
    }

    @Test
    void usesTheBuildIdModuloOneBillion() {
        assertThat(LineProtocol.idOffset("1511801143959752704")).isEqualTo(959752704L);
        assertThat(LineProtocol.idOffset("99999999999999999999999")).isEqualTo(999999999L);
        assertThat(LineProtocol.idOffset("1000000000")).isZero();
        assertThat(LineProtocol.idOffset("42")).isEqualTo(42L);
    }

    @Test
    void hashesNonNumericBuildIdsStably() {
        long first = LineProtocol.idOffset("build-abc");
        assertThat(first).isEqualTo(LineProtocol.idOffset("build-abc")).isBetween(0L, 999_999_999L)
                .isNotEqualTo(LineProtocol.idOffset("build-abd"));
        // 64-bit FNV-1a of "a" = 0xaf63dc4c8601ec8c, mod 1e9 computed independently
        assertThat(LineProtocol.idOffset("a")).isEqualTo(Long.remainderUnsigned(0xaf63dc4c8601ec8cL, 1_000_000_000L));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "plain|plain",
            "a b|a\\ b",
            "a,b=c|a\\,b\\=c",
            "'say \"hi\"'|'say\\ \"hi\"'",
            "back\\slash|back\\slash",
            "trailing\\\\|trailing",
            "ünïcødé 🚀|ünïcødé\\ 🚀",
    })
    void escapesTagValues(String value, String escaped) {
        assertThat(LineProtocol.tagValue(value)).isEqualTo(escaped);
    }

    @Test
    void neverWritesALineBreakOrAnEmptyTag() {
        assertThat(LineProtocol.tagValue("two\nlines\r\nand\ttab")).isEqualTo("two\\ lines\\ \\ and\\ tab");
        assertThat(LineProtocol.tagValue("")).isNull();
        assertThat(LineProtocol.tagValue("\\\\")).isNull();
        assertThat(LineProtocol.tagValue(" \n")).isNull();
        assertThat(LineProtocol.tagValue(null)).isNull();
    }

    @Test
    void escapesStringFields() {
        assertThat(LineProtocol.fieldString("a \"quoted\" C:\\path\nnext")).isEqualTo("\"a \\\"quoted\\\" C:\\\\path\nnext\"");
    }

    @Test
    void validatesAndEscapesTheMeasurement() {
        assertThat(LineProtocol.measurement("prow build,x")).isEqualTo("prow\\ build\\,x");
        assertThatThrownBy(() -> LineProtocol.measurement("#build")).hasMessageContaining("comment");
        assertThatThrownBy(() -> LineProtocol.measurement("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LineProtocol.measurement("build\\")).hasMessageContaining("backslash");
    }
}
