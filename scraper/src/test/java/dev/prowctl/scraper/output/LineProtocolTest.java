package dev.prowctl.scraper.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;

class LineProtocolTest {

    private static ProwRun run(String id, String job, String state) {
        return ProwRuns.presubmit(id, job).state(state).build();
    }

    @Test
    void writesTheDocumentedSchema() {
        String line = new LineProtocol("build").line(run("1700000000000000001", "pull-ci-oadp-e2e", "success"));
        assertThat(line).isEqualTo("build,job_name=pull-ci-oadp-e2e,type=presubmit,rehearsal=false,org=openshift,"
                + "repo=oadp-operator,base_ref=master,pull_request=900,target=e2e,cluster_profile=aws,variant=4.10,"
                + "cluster=build01 build_id=\"1700000000000000001\",state=\"success\",state_int=0i,duration=2860i,"
                + "start_time=\"2023-11-14T22:13:20Z\",end_time=\"2023-11-14T23:01:00Z\","
                + "log=\"https://prow.example/view/gs/b/p/1700000000000000001\","
                + "prowjob_url=\"https://prow.example/prowjob?prowjob=uuid-1700000000000000001\","
                + "artifacts_url=\"https://gcsweb.example/gcs/b/p/1700000000000000001/\","
                + "pull_request_url=\"https://github.com/openshift/oadp-operator/pull/900\" 1700000000000000001");
    }

    @Test
    void omitsAbsentTagsAndFieldsAndAddsTheFlakeReason() {
        ProwRun periodic = ProwRuns.periodic("7", "periodic-x").state("failure")
                .between(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2023-01-01T00:00:05Z")).build()
                .classified(true, "no-build-log:e2e");
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
        // Pinned: a rescrape must land on the same point, in any JVM and any later version. The values are
        // 64-bit FNV-1a computed outside Java, modulo 10^9: "a" = 0xaf63dc4c8601ec8c = 12638187200555641996,
        // "build-abc" = 0xff09f7f21a51535e = 18377492373657703262, "build-abd" = 0xff09faf21a515877.
        assertThat(LineProtocol.idOffset("a")).isEqualTo(555_641_996L);
        assertThat(LineProtocol.idOffset("build-abc")).isEqualTo(657_703_262L);
        assertThat(LineProtocol.idOffset("build-abd")).isEqualTo(192_587_895L);
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
    void escapesStringFieldsAndReplacesTheirLineBreaks() {
        assertThat(LineProtocol.fieldString("a \"quoted\" C:\\path\nnext\r\nlast"))
                .isEqualTo("\"a \\\"quoted\\\" C:\\\\path next  last\"");
        assertThat(LineProtocol.fieldString("\r")).isEqualTo("\" \"");
    }

    @Test
    void everyRecordIsOnePhysicalLine() throws Exception {
        ProwRun run = ProwRuns.presubmit("1\n2", "job\nname").state("fail\rure").target("e2e\r\n").variant("\n4.1")
                .logUrl("https://prow.example/view\n").prowjobUrl("\rp").artifactsUrl("a\n\nb")
                .pull(900, "https://github.com/x/y/pull/900\n", null).flakeReason("no-build-log\n:e2e").build();
        StringBuilder out = new StringBuilder();
        new LineProtocol("build").write(run, out);
        assertThat(out.toString()).endsWith("\n").doesNotContain("\r").hasLineCount(1)
                .contains("job_name=job\\ name", "build_id=\"1 2\"", "state=\"fail ure\"", "log=\"https://prow.example/view \"",
                        "artifacts_url=\"a  b\"", "flake_reason=\"no-build-log :e2e\"");
    }

    @Test
    void aRunWhoseTagsPassInfluxDbsKeyLimitIsNamed() {
        String almost = "t".repeat(LineProtocol.TAG_BYTES - tagBytesBesidesTarget());
        assertThat(LineProtocol.keyProblem(ProwRuns.presubmit("1", "j").target(almost).build())).isNull();
        assertThat(LineProtocol.keyProblem(ProwRuns.presubmit("1", "j").target(almost + "t").build()))
                .startsWith("its tags take " + (LineProtocol.TAG_BYTES + 1) + " bytes (target " + (almost.length() + 1)
                        + "), more than InfluxDB's 64 KB series key limit leaves");
        // escaping and UTF-8 count: a space takes 2 bytes, "ü" 2, "🚀" 4
        String spaces = " ".repeat(almost.length() / 2) + "t".repeat(almost.length() % 2);
        assertThat(LineProtocol.keyProblem(ProwRuns.presubmit("1", "j").target(spaces).build())).isNull();
        assertThat(LineProtocol.keyProblem(ProwRuns.presubmit("1", "j").target(spaces + "ü").build())).isNotNull();
        String rockets = "🚀".repeat(almost.length() / 4) + "t".repeat(almost.length() % 4);
        assertThat(LineProtocol.keyProblem(ProwRuns.presubmit("1", "j").target(rockets).build())).isNull();
        assertThat(LineProtocol.keyProblem(ProwRuns.presubmit("1", "j").target(rockets + "t").build())).isNotNull();
    }

    /** What the tags of ProwRuns.presubmit("1", "j") other than the target's value take: ",key=value" each. */
    static int tagBytesBesidesTarget() {
        String line = new LineProtocol("m").line(ProwRuns.presubmit("1", "j").target("T").build());
        return line.substring("m".length(), line.indexOf(' ')).length() - 1;
    }

    @Test
    void validatesAndEscapesTheMeasurement() {
        assertThat(LineProtocol.measurement("prow build,x")).isEqualTo("prow\\ build\\,x");
        assertThatThrownBy(() -> LineProtocol.measurement("#build")).hasMessageContaining("comment");
        assertThatThrownBy(() -> LineProtocol.measurement("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LineProtocol.measurement("build\\")).hasMessageContaining("backslash");
        assertThat(LineProtocol.measurement("m".repeat(LineProtocol.MAX_MEASUREMENT_BYTES))).hasSize(1024);
        assertThatThrownBy(() -> LineProtocol.measurement("m".repeat(LineProtocol.MAX_MEASUREMENT_BYTES - 1) + " "))
                .hasMessageContaining("at most 1024 bytes");
    }
}
