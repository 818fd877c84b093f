package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * {@code prowctl scrape} with flake classification on (the default), against a local fake GCS API whose test-step
 * listings have no build-log.txt: failed e2e/unit runs become flakes, and a second scrape with the same state dir
 * makes no artifacts request at all.
 */
class ScrapeFlakesTest {

    private final MockWebServer gcs = new MockWebServer();
    private final AtomicInteger requests = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    @BeforeEach
    void start() throws Exception {
        gcs.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.incrementAndGet();
                String path = request.getUrl().encodedPath();
                if (path.startsWith("/storage/v1/b/") && request.getUrl().queryParameter("alt") == null) {
                    // The test step's directory ran nothing (no build-log.txt); the run directory is there.
                    String prefix = request.getUrl().queryParameter("prefix");
                    String items = prefix.contains("/artifacts/") ? ""
                            : ",\"items\":[{\"name\":\"" + prefix + "finished.json\"}]";
                    return new MockResponse.Builder().body("{\"kind\":\"storage#objects\"" + items + "}")
                            .addHeader("Content-Type", "application/json").build();
                }
                return new MockResponse.Builder().code(404).body("{\"error\":{\"code\":404}}").build();
            }
        });
        gcs.start();
    }

    @AfterEach
    void stop() {
        gcs.close();
    }

    /**
     * The scrape cases moved to yesterday: the cache keeps verdicts only within prow's retention window (older
     * runs are no longer served by deck, so their verdicts are pruned).
     */
    private Path recentCases() throws IOException {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String cases = Files.readString(ScrapeCommandTest.cases()).replace("\"2023-11-14T", "\"" + yesterday + "T");
        Path file = stateDir.resolveSibling(stateDir.getFileName() + "-cases.json");
        Files.writeString(file, cases);
        return file;
    }

    private CliRun scrape(Path cases) {
        return CliRun.of("scrape", "--prowjobs-file", cases.toString(), "--job", "*",
                "-o", "json", "--gcs-api-url", gcs.url("/").toString(), "--gcsweb-url", gcs.url("/gcs/").toString(),
                "--state-dir", stateDir.toString(), "--retries", "0");
    }

    @Test
    void failedRunsWithoutATestStepLogAreFlakesAndTheVerdictIsCached() throws Exception {
        Path cases = recentCases();
        CliRun cold = scrape(cases);
        assertThat(cold.exitCode()).as(cold.toString()).isEqualTo(ExitCodes.OK);
        List<JsonNode> failedOrFlaky = cold.out().lines().map(this::parse)
                // the cases' two failed runs: an e2e presubmit and a unit-test presubmit
                .filter(run -> List.of("1700000000000000002", "1699999000000000004").contains(run.path("id").asText()))
                .toList();
        assertThat(failedOrFlaky).hasSize(2).allSatisfy(run -> {
            assertThat(run.path("state").asText()).isEqualTo("flake");
            assertThat(run.path("state_int").asInt()).isEqualTo(4);
            assertThat(run.path("flake_reason").asText()).startsWith("no-build-log:");
        });
        int coldRequests = requests.get();
        assertThat(coldRequests).isPositive();

        CliRun warm = scrape(cases);
        assertThat(warm.exitCode()).as(warm.toString()).isEqualTo(ExitCodes.OK);
        assertThat(warm.out()).isEqualTo(cold.out());
        assertThat(requests.get()).as("artifacts requests of the second scrape").isEqualTo(coldRequests);
    }

    @Test
    void noFlakesLeavesFailuresAsTheyAreWithoutAnyRequest() {
        CliRun run = CliRun.of("scrape", "--prowjobs-file", ScrapeCommandTest.cases().toString(), "--job", "*",
                "-o", "json", "--no-flakes", "--gcs-api-url", gcs.url("/").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("\"state\":\"failure\"").doesNotContain("\"state\":\"flake\"");
        assertThat(requests.get()).isZero();
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
