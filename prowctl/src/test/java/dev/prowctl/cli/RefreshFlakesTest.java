package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * {@code --refresh-flakes}: cached verdicts are dropped and every failed run is looked up again (a verdict cached by
 * an older, wrong configuration does not stick for the cache's 14 days).
 */
class RefreshFlakesTest {

    @TempDir
    Path stateDir;

    private final MockWebServer gcs = new MockWebServer();
    /** Whether the test steps' directories list build-log.txt. */
    private volatile boolean testStepsRan;

    @BeforeEach
    void start() throws IOException {
        gcs.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String prefix = request.getUrl().queryParameter("prefix");
                if (prefix == null) {
                    return new MockResponse(404, Headers.of(), "{\"error\":{\"code\":404}}");
                }
                String file = prefix.contains("/artifacts/") ? (testStepsRan ? "build-log.txt" : "finished.json")
                        : "finished.json";
                return new MockResponse(200, Headers.of("Content-Type", "application/json"),
                        "{\"items\":[{\"name\":\"" + prefix + file + "\"}]}");
            }
        });
        gcs.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        gcs.close();
    }

    private List<String> reasons(String... more) throws IOException {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        Path cases = stateDir.resolveSibling(stateDir.getFileName() + "-cases.json");
        Files.writeString(cases, Files.readString(ScrapeCommandTest.cases()).replace("\"2023-11-14T",
                "\"" + yesterday + "T"));
        List<String> args = new java.util.ArrayList<>(List.of("scrape", "--prowjobs-file", cases.toString(),
                "--job", "*", "-o", "json", "--gcs-api-url", gcs.url("/").toString(),
                "--state-dir", stateDir.toString(), "--retries", "0"));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        ObjectMapper json = new ObjectMapper();
        return run.out().lines().map(line -> {
            try {
                return json.readTree(line).path("flake_reason").asText(null);
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }).filter(reason -> reason != null).sorted().toList();
    }

    @Test
    void cachedVerdictsAreDroppedAndLookedUpAgain() throws IOException {
        assertThat(reasons()).containsExactly("no-build-log:e2e", "no-build-log:unit");
        testStepsRan = true; // what the artifacts say now (say, a fixed --gcs-api-url)

        assertThat(reasons()).as("from the cache").containsExactly("no-build-log:e2e", "no-build-log:unit");
        assertThat(reasons("--refresh-flakes")).containsExactly("build-log:e2e", "build-log:unit");
        assertThat(reasons()).as("the new verdicts are cached").containsExactly("build-log:e2e", "build-log:unit");
    }
}
