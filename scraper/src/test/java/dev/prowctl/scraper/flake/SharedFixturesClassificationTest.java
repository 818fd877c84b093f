package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;
import dev.prowctl.testing.TestEnv;
import okhttp3.OkHttpClient;

/**
 * The real OpenShift runs of {@code ../shared/fixtures/prow} (their expected values): bucket and path come out of
 * each real {@code status.url} as the fixture says, and with the artifacts the original tool saw (the rehearsal's
 * {@code artifacts/operator-e2e-azure/e2e/} lacking {@code build-log.txt}) the verdicts equal the original's.
 */
class SharedFixturesClassificationTest {

    @TempDir
    Path stateDir;

    @Test
    void theOriginalsVerdictsOnRealRuns() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(
                TestEnv.sharedFile("fixtures/prow/prowjobs.expected.json").toFile());
        List<ProwRun> finished = new ArrayList<>();
        OkHttpClient http = new OkHttpClient();
        try (FakeArtifactsServer server = new FakeArtifactsServer()) {
            for (JsonNode job : expected) {
                RunLocation location = RunLocation.fromSpyglassUrl(job.path("log_url").asText()).orElseThrow();
                assertThat(location.bucket()).isEqualTo(job.path("gcs_bucket").asText());
                assertThat(location.path()).isEqualTo(job.path("gcs_path").asText());
                if (job.path("end_time").isNull()) {
                    continue; // pending: not a finished run
                }
                String stepDir = location.path() + "/artifacts/" + job.path("target").asText() + "/e2e/";
                server.put(location.bucket(), stepDir + "finished.json", "{}");
                if (!job.path("legacy_state").asText().equals(ProwRun.FLAKE)) {
                    server.put(location.bucket(), stepDir + "build-log.txt", "test output");
                }
                Instant end = Instant.parse(job.path("end_time").asText());
                finished.add(ProwRuns.periodic(job.path("id").asText(), job.path("job").asText())
                        .prowjobName(job.path("prowjob_name").asText())
                        .type(ProwRun.JobType.fromProw(job.path("spec_type").asText()))
                        .rehearsal(job.path("is_rehearsal").asBoolean()).state(job.path("state").asText())
                        .between(Instant.parse(job.path("start_time").asText()), end)
                        .target(job.path("target").asText()).logUrl(job.path("log_url").asText())
                        .prowjobUrl(job.path("prowjob_yaml_url").asText())
                        .artifactsUrl(job.path("artifacts_url").asText())
                        .build());
            }
            ArtifactsClassifier classifier = new ArtifactsClassifier(http, new ClassifierSettings(server.apiUrl(),
                    server.gcswebPrefix(), 4, Duration.ofSeconds(20), RetryPolicy.DEFAULT),
                    FlakeCache.open(stateDir, Clock.systemUTC(), message -> { }), ClassificationListener.NONE);

            List<ProwRun> out = classifier.classify(finished);

            assertThat(out).hasSize(6);
            for (ProwRun run : out) {
                JsonNode job = find(expected, run.id());
                assertThat(run.state()).as(run.job()).isEqualTo(job.path("legacy_state").asText());
            }
            ProwRun rehearsal = out.stream().filter(ProwRun::rehearsal).findFirst().orElseThrow();
            assertThat(rehearsal.id()).isEqualTo("1508830368151638016");
            assertThat(rehearsal.flakeReason()).isEqualTo("no-build-log:e2e");
            assertThat(server.requests()).as("only the failed run is looked up").hasSize(2)
                    .allMatch(r -> r.contains("1508830368151638016"));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static JsonNode find(JsonNode expected, String id) {
        for (JsonNode job : expected) {
            if (job.path("id").asText().equals(id)) {
                return job;
            }
        }
        throw new AssertionError("no expected values for " + id);
    }
}
