package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class RunDeriverTest {

    private static final RunDeriver DERIVER =
            new RunDeriver(DeckUrl.parse("https://deck.example/"), "https://gcsweb.example/gcs");

    /** A finished ProwJob of {@code job} with the given times and build id; nothing else set. */
    private static ProwJob finished(String type, String job, String start, String end, String buildId) {
        return new ProwJob("n", Map.of(), type, job, null, null, java.util.List.of(), java.util.List.of(), "success",
                start, end, buildId, null, null);
    }

    /** Every value prowjobs.expected.json lists, for every finished job of the shared payload. */
    @Test
    void derivesWhatTheSharedExpectationsSay() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Fixtures.shared("prowjobs.expected.json").toFile());
        RunCollector collector = Fixtures.collect(Fixtures.shared("prowjobs.json"), JobFilter.ANY);
        Map<String, ProwRun> runs = collector.runs().stream()
                .collect(Collectors.toMap(ProwRun::id, Function.identity()));
        int finished = 0;
        for (JsonNode e : expected) {
            String id = e.get("id").asText();
            if (e.get("end_time").isNull()) {
                assertThat(runs).doesNotContainKey(id);
                continue;
            }
            finished++;
            ProwRun run = runs.get(id);
            assertThat(run).as(id).isNotNull();
            assertThat(run.job()).isEqualTo(e.get("job").asText());
            assertThat(run.prowjobName()).isEqualTo(e.get("prowjob_name").asText());
            assertThat(run.state()).isEqualTo(e.get("state").asText());
            assertThat(run.type().prowName()).isEqualTo(e.get("spec_type").asText());
            assertThat(run.rehearsal()).isEqualTo(e.get("is_rehearsal").asBoolean());
            assertThat(run.target()).isEqualTo(e.get("target").asText());
            assertThat(run.clusterProfile()).isEqualTo(e.get("cluster_profile").isNull() ? null
                    : e.get("cluster_profile").asText());
            assertThat(run.startTime()).isEqualTo(Instant.parse(e.get("start_time").asText()));
            assertThat(run.endTime()).isEqualTo(Instant.parse(e.get("end_time").asText()));
            assertThat(run.logUrl()).isEqualTo(e.get("log_url").asText());
            assertThat(run.prowjobUrl()).isEqualTo(e.get("prowjob_yaml_url").asText());
            assertThat(run.artifactsUrl()).isEqualTo(e.get("artifacts_url").asText());
            assertThat(run.pullRequestUrl()).isEqualTo(e.get("pull_request").isNull() ? null
                    : e.get("pull_request").asText());
            assertThat(run.org() + "/" + run.repo()).isEqualTo(e.get("org_repo").asText());
            assertThat(run.cluster()).isEqualTo(e.get("cluster").asText());
        }
        assertThat(runs).hasSize(finished).hasSize(6);
        assertThat(collector.unfinished()).isEqualTo(1);
    }

    @Test
    void leavesTheTargetNullWhenPodSpecIsStubbed() throws IOException {
        RunCollector collector = Fixtures.collect(Fixtures.shared("prowjobs_var_omit.js"), JobFilter.ANY);
        assertThat(collector.runs()).hasSize(6).allSatisfy(run -> {
            assertThat(run.target()).isNull();
            assertThat(run.clusterProfile()).as("a label is null or has a value, never empty")
                    .satisfiesAnyOf(profile -> assertThat(profile).isNull(),
                            profile -> assertThat(profile).isNotEmpty());
        });
    }

    @Test
    void handlesEveryCaseOfTheCasesPayload() throws IOException {
        RunCollector collector = Fixtures.collect(Fixtures.resource(Fixtures.CASES), JobFilter.ANY);
        Map<String, ProwRun> runs = collector.runs().stream()
                .collect(Collectors.toMap(ProwRun::id, Function.identity()));
        assertThat(collector.unfinished()).isEqualTo(1);
        assertThat(collector.overrides()).isEqualTo(1);
        assertThat(collector.unusable()).isEqualTo(2);
        assertThat(collector.firstProblem()).contains("unknown spec.type \"nonsense\"");
        assertThat(runs).hasSize(11).doesNotContainKey("1700000000000000003");

        ProwRun periodic = runs.get("1699990000000000006");
        assertThat(periodic.type()).isEqualTo(ProwRun.JobType.PERIODIC);
        assertThat(periodic.pullRequest()).isNull();
        assertThat(periodic.org() + "/" + periodic.repo() + "@" + periodic.baseRef())
                .isEqualTo("openshift/oadp-operator@master");

        ProwRun rehearsal = runs.get("1699980000000000007");
        assertThat(rehearsal.rehearsal()).isTrue();
        assertThat(rehearsal.repo()).isEqualTo("release");
        assertThat(rehearsal.pullRequest()).isEqualTo(44000);

        ProwRun longName = runs.get("1699970000000000008");
        assertThat(longName.job()).hasSizeGreaterThan(63)
                .endsWith("periodic-slack-with-a-very-long-suffix");
        assertThat(longName.stateInt()).isEqualTo(10);

        ProwRun nasty = runs.get("1699960000000000009");
        assertThat(nasty.state()).isEqualTo("mystery");
        assertThat(nasty.stateInt()).isEqualTo(10);
        assertThat(nasty.clusterProfile()).contains("\n").endsWith("\\");
        assertThat(nasty.target()).isEqualTo("e2e,with=odd chars \"quoted\" back\\slash");

        ProwRun variantFromArgs = runs.get("1699900000000000016");
        assertThat(variantFromArgs.variant()).isEqualTo("4.9");
        assertThat(variantFromArgs.clusterProfile()).isEqualTo("azure4");

        ProwRun batch = runs.get("1699940000000000011");
        assertThat(batch.type()).isEqualTo(ProwRun.JobType.BATCH);
        assertThat(batch.pullRequest()).isEqualTo(903);
    }

    @Test
    void rehearsalIsAlsoRecognisedByTheJobNamePrefix() {
        ProwJob pj = finished("presubmit", "rehearse-1-pull-ci-x", "2024-01-01T00:00:00Z", "2024-01-01T00:10:00Z", "5");
        assertThat(DERIVER.derive(pj).rehearsal()).isTrue();
        assertThat(DERIVER.derive(pj).durationSeconds()).isEqualTo(600);
    }

    @Test
    void buildsArtifactLinksFromTheSpyglassUrlOnly() {
        assertThat(DERIVER.artifactsUrl("https://deck.example/view/gs/bucket/logs/job/1"))
                .isEqualTo("https://gcsweb.example/gcs/bucket/logs/job/1/");
        assertThat(DERIVER.artifactsUrl("https://deck.example/view/gs/bucket/logs/job/1/?x=y"))
                .isEqualTo("https://gcsweb.example/gcs/bucket/logs/job/1/");
        assertThat(DERIVER.artifactsUrl("https://github.com/o/r/pull/1#issuecomment-1")).isNull();
        assertThat(DERIVER.artifactsUrl(null)).isNull();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2022-03-23T04:01:07Z", "2024-02-29T23:59:59Z",
            "1999-12-31T00:00:00Z", "2022-03-23T04:01:07.250Z"})
    void readsProwTimesLikeInstantParse(String time) {
        assertThat(DERIVER.derive(finished("periodic", "j", time, time, "5")).startTime())
                .isEqualTo(Instant.parse(time));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2022-02-30T04:01:07Z", "2022-13-01T00:00:00Z",
            "yesterday", "2022-03-23 04:01:07", "2300-01-01T00:00:00Z", "1600-01-01T00:00:00Z"})
    void rejectsTimesThatAreNotRfc3339(String time) {
        ProwJob pj = finished("periodic", "j", time, "2022-03-23T05:00:00Z", "5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DERIVER.derive(pj))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status.startTime");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2262-04-11T23:47:15Z", "1677-09-21T00:12:45Z"})
    void theFirstAndLastTimesInfluxDbCanStoreMakePoints(String time) {
        ProwRun run = DERIVER.derive(finished("periodic", "j", time, time, "1999999999999999999"));
        long nanos = dev.prowctl.scraper.output.LineProtocol.timestamp(run);
        assertThat(Instant.ofEpochSecond(0, nanos)).isBetween(Instant.parse(time), Instant.parse(time).plusSeconds(1));
    }
}
