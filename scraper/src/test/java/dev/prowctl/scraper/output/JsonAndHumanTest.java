package dev.prowctl.scraper.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.prow.Fixtures;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;

class JsonAndHumanTest {

    private static final List<String> KEYS = List.of("id", "job", "type", "rehearsal", "state", "state_int",
            "start_time", "end_time", "duration", "org", "repo", "base_ref", "pull_request", "pull_request_url",
            "target", "cluster_profile", "variant", "log_url", "prowjob_url", "artifacts_url", "flake_reason");

    @Test
    void jsonLinesHaveExactlyTheDocumentedKeysInOrder() throws IOException {
        List<ProwRun> runs = Fixtures.collect(Fixtures.resource(Fixtures.CASES), JobFilter.ANY).runs();
        StringBuilder out = new StringBuilder();
        for (ProwRun run : runs) {
            new JsonLines().write(run, out);
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(runs.size());
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode json = mapper.readTree(line);
            assertThat(json.fieldNames()).toIterable().containsExactlyElementsOf(KEYS);
        }
        JsonNode nasty = mapper.readTree(lines.stream().filter(l -> l.contains("1699960000000000009")).findFirst()
                .orElseThrow());
        assertThat(nasty.get("cluster_profile").asText()).contains("\n").contains("\"east\"=1");
        assertThat(nasty.get("state_int").asInt()).isEqualTo(10);
        JsonNode periodic = mapper.readTree(lines.stream().filter(l -> l.contains("1699990000000000006"))
                .findFirst().orElseThrow());
        assertThat(periodic.get("pull_request").isNull()).isTrue();
        assertThat(periodic.get("flake_reason").isNull()).isTrue();
        assertThat(periodic.get("duration").asLong()).isEqualTo(5400);
    }

    @Test
    void humanBlocksLookLikeTheOriginalSample() throws IOException {
        ProwRun run = ProwRuns.presubmit("1478311211224272896", "pull-ci-openshift-oadp-operator-master-4.7-images")
                .build();
        StringBuilder out = new StringBuilder();
        new HumanText().write(run, out);
        assertThat(out.toString()).startsWith("{id:1478311211224272896\nname:pull-ci-openshift-oadp-operator-master-4.7-images\n")
                .contains("\nstate:success\nstate_int:0\n")
                .contains("\nstart_time:2023-11-14T22:13:20Z\nend_time:2023-11-14T23:01:00Z\nduration:47m40s (2860 s)\n")
                .contains("\nlog_yaml:https://prow.example/prowjob?prowjob=uuid-1478311211224272896\n")
                .contains("\nlog_artifacts:https://gcsweb.example/gcs/b/p/1478311211224272896/\n")
                .contains("\npull_request:https://github.com/openshift/oadp-operator/pull/900\n")
                .endsWith("\n}\n");
    }

    @Test
    void humanBlocksKeepOneKeyPerLine() throws IOException {
        List<ProwRun> runs = Fixtures.collect(Fixtures.resource(Fixtures.CASES), JobFilter.ANY).runs();
        StringBuilder out = new StringBuilder();
        for (ProwRun run : runs) {
            new HumanText().write(run, out);
        }
        assertThat(out.toString().lines()).allMatch(l -> l.equals("}") || l.matches("^\\{?[a-z_]+:.*"));
        assertThat(out.toString().lines().filter(l -> l.startsWith("{id:"))).hasSize(runs.size());
    }
}
