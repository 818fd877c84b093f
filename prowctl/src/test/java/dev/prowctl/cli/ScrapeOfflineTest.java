package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * {@code prowctl scrape --prowjobs-file} where the artifacts cannot be read at all (no network, wrong URLs, private
 * buckets): every failed run is still printed, as a {@code failure} whose {@code flake_reason} says it is undecided,
 * exit 0 and one warning line. Stand-ins answer 404 for everything, 403 for everything, or do not exist.
 */
class ScrapeOfflineTest {

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    private static final Instant LATEST_IN_CASES = Instant.parse("2023-11-14T23:01:00Z");

    @TempDir
    Path stateDir;

    private final ObjectMapper json = new ObjectMapper();

    /** The scrape cases moved so that their latest time is an hour ago: well inside deck's window. */
    private Path recentCases() throws IOException {
        Duration shift = Duration.between(LATEST_IN_CASES, Instant.now().minus(Duration.ofHours(1)));
        Matcher m = TIME.matcher(Files.readString(ScrapeCommandTest.cases()));
        StringBuilder cases = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(cases, Instant.parse(m.group()).plus(shift).toString());
        }
        m.appendTail(cases);
        Path file = stateDir.resolveSibling(stateDir.getFileName() + "-cases.json");
        Files.writeString(file, cases);
        return file;
    }

    private CliRun scrape(Path cases, String apiUrl, String gcswebUrl, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("scrape", "--prowjobs-file", cases.toString(),
                "--job", "*", "-o", "json", "--gcs-api-url", apiUrl, "--gcsweb-url", gcswebUrl,
                "--state-dir", stateDir.toString(), "--retries", "0"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertEveryFailureIsPrintedUndecided(CliRun run, Path cases, String reason) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        CliRun noFlakes = CliRun.of("scrape", "--prowjobs-file", cases.toString(), "--job", "*", "-o", "json",
                "--no-flakes");
        assertThat(run.err().lines().filter(line -> !noFlakes.err().contains(line)))
                .as("one line more than --no-flakes says about the cases: " + run).singleElement().asString()
                .startsWith("prowctl scrape: warning: 2 failed run(s) not classified, 2 emitted as failure");
        List<JsonNode> printed = run.out().lines().map(this::parse).toList();
        assertThat(printed).extracting(r -> r.path("id").asText()).as("every run --no-flakes prints")
                .containsExactlyElementsOf(noFlakes.out().lines().map(this::parse).map(r -> r.path("id").asText())
                        .toList());
        List<JsonNode> failed = printed.stream().filter(r -> r.path("state").asText().equals("failure")).toList();
        assertThat(failed).as("the cases' two failed e2e/unit runs").hasSize(2)
                .allSatisfy(r -> assertThat(r.path("flake_reason").asText()).isEqualTo(reason));
        assertThat(printed).noneMatch(r -> r.path("state").asText().equals("flake"));
    }

    private static MockWebServer answeringEverything(int code) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse(code, Headers.of("Content-Type", "text/plain"), "answer " + code);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @Test
    void notFoundEverywhere() throws IOException {
        Path cases = recentCases();
        try (MockWebServer artifacts = answeringEverything(404)) {
            CliRun run = scrape(cases, artifacts.url("/").toString(), artifacts.url("/gcs/").toString());

            assertEveryFailureIsPrintedUndecided(run, cases, "undecided:no-artifacts");
            assertThat(run.err()).contains("artifacts of all 2 failed runs").contains("check them");
        }
    }

    @Test
    void forbiddenEverywhere() throws IOException {
        Path cases = recentCases();
        try (MockWebServer artifacts = answeringEverything(403)) {
            CliRun run = scrape(cases, artifacts.url("/").toString(), artifacts.url("/gcs/").toString());

            assertEveryFailureIsPrintedUndecided(run, cases, "undecided:http-403");
        }
    }

    @Test
    void noNetwork() throws IOException {
        Path cases = recentCases();
        CliRun run = scrape(cases, "http://no-such-host.invalid/", "http://no-such-host.invalid/gcs/");

        assertEveryFailureIsPrintedUndecided(run, cases, "undecided:unknown-host");
        assertThat(run.err()).contains("unknown host no-such-host.invalid").contains("--no-flakes");
    }

    @Test
    void unavailableEverywhereIsLeftOutOnlyWithinMaxDeferral() throws IOException {
        Path cases = recentCases();
        try (MockWebServer artifacts = answeringEverything(503)) {
            CliRun deferred = scrape(cases, artifacts.url("/").toString(), artifacts.url("/gcs/").toString());
            assertThat(deferred.exitCode()).as(deferred.toString()).isEqualTo(ExitCodes.OK);
            assertThat(deferred.out()).as("503 may heal: left out for now").doesNotContain("\"state\":\"failure\"");
            assertThat(deferred.err()).contains("2 left out until the next scrape").contains("at most 6h");

            CliRun bounded = scrape(cases, artifacts.url("/").toString(), artifacts.url("/gcs/").toString(),
                    "--max-deferral", "0");
            assertEveryFailureIsPrintedUndecided(bounded, cases, "undecided:http-503");
        }
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
