package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.testing.TestEnv;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** {@code prowctl scrape} end to end, in-process: each output, the legacy flags and every error path. */
class ScrapeCommandTest {

    private MockWebServer deck;

    @BeforeEach
    void start() throws IOException {
        deck = new MockWebServer();
        deck.start();
    }

    @AfterEach
    void stop() {
        deck.close();
    }

    private static Path casesFile;

    /** The scraper module's cases payload (inside its test-jar), copied once to a file. */
    static synchronized Path cases() {
        if (casesFile == null) {
            try (var in = ScrapeCommandTest.class.getClassLoader().getResourceAsStream("prow/scrape-cases.json")) {
                casesFile = Files.createTempFile("scrape-cases", ".json");
                casesFile.toFile().deleteOnExit();
                Files.copy(in, casesFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return casesFile;
    }

    private static String casesText() throws IOException {
        return Files.readString(cases(), StandardCharsets.UTF_8);
    }

    private String deckUrl(String query) {
        return deck.url("/" + query).toString();
    }

    @Test
    void printsLineProtocolForEveryFinishedRunAndWarnsAboutSkippedItems() {
        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", cases().toString(), "--job", "*");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(11).allMatch(l -> l.startsWith("build,job_name="));
        assertThat(run.out()).doesNotContain("\r").endsWith("\n");
        assertThat(run.err()).contains("warning: skipped 3 unusable ProwJobs");
    }

    @Test
    void theDefaultUrlFiltersOnOadpJobs() {
        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", cases().toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).hasSize(10).allMatch(l -> l.contains("oadp"));
    }

    @Test
    void urlFiltersApplyAndOptionsWin() {
        CliRun periodic = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", cases().toString(),
                "--url", "https://prow.ci.openshift.org/?job=*&type=periodic");
        assertThat(periodic.out().lines()).hasSize(2).allMatch(l -> l.contains(",type=periodic,"));
        CliRun overridden = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", cases().toString(),
                "--url", "https://prow.ci.openshift.org/?job=*&type=periodic", "--type", "postsubmit");
        assertThat(overridden.out().lines()).singleElement().asString()
                .startsWith("build,job_name=branch-ci-openshift-oadp-operator-master-images,type=postsubmit");
    }

    @Test
    void printsJsonLines() throws IOException {
        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", cases().toString(), "--job", "*", "-o", "json",
                "--measurement", "ignored-for-json");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        ObjectMapper mapper = new ObjectMapper();
        for (String line : run.out().lines().toList()) {
            JsonNode json = mapper.readTree(line);
            assertThat(json.get("prowjob_url").asText()).startsWith("https://prow.ci.openshift.org/prowjob?prowjob=");
        }
        assertThat(run.out().lines()).hasSize(11);
    }

    @Test
    void theOriginalFlagsReadDeckAndPrintForHumans() throws IOException {
        deck.enqueue(new MockResponse.Builder().code(200).body(casesText()).build());
        CliRun run = CliRun.of("-url_to_scrape", deckUrl("?job=*unit*"), "-print_for_human", "--no-flakes");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("{id:1699999000000000004\nname:pull-ci-openshift-oadp-operator-master-unit-test\n")
                .contains("\nlog_yaml:" + deckUrl("prowjob?prowjob=a0000004-0000-0000-0000-000000000004") + "\n")
                .endsWith("}\n");
        assertThat(run.out().lines().filter(l -> l.startsWith("{id:"))).hasSize(1);
    }

    @Test
    void customMeasurementAndGcsweb() {
        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", cases().toString(), "--job", "branch-*",
                "--measurement", "prow build", "--gcsweb-url", "https://gcs.example/browse");
        assertThat(run.out()).startsWith("prow\\ build,job_name=branch-ci-")
                .contains("artifacts_url=\"https://gcs.example/browse/test-platform-results/logs/branch-ci-");
    }

    @Test
    void retriesAFailingDeckThenPrints() throws IOException {
        deck.enqueue(new MockResponse.Builder().code(503).body("upstream busy").build());
        deck.enqueue(new MockResponse.Builder().code(200).body("var allBuilds = " + casesText() + ";").build());
        CliRun run = CliRun.of("scrape", "--no-flakes", "--url", deckUrl("?job=*"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).hasSize(11);
        assertThat(deck.getRequestCount()).isEqualTo(2);
    }

    @Test
    void anHtmlPageIsBadInputAndPrintsNothing() {
        deck.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<html><body>Login</body></html>").build());
        CliRun run = CliRun.of("scrape", "--no-flakes", "--url", deckUrl(""));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("HTML page, not prowjobs.js: is the URL a deck?").doesNotContain("\tat ");
    }

    @Test
    void aTruncatedPayloadPrintsNothing() throws IOException {
        String full = casesText();
        deck.enqueue(new MockResponse.Builder().code(200).body(full.substring(0, full.length() * 3 / 4)).build());
        CliRun run = CliRun.of("scrape", "--no-flakes", "--url", deckUrl("?job=*"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("truncated").hasLineCount(1);
    }

    @Test
    void clientErrorsAreServerErrorsAndAuthFailuresAreAuth() {
        deck.enqueue(new MockResponse.Builder().code(404).body("404 page not found").build());
        CliRun notFound = CliRun.of("scrape", "--no-flakes", "--url", deckUrl(""));
        assertThat(notFound.exitCode()).as(notFound.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(notFound.err()).contains("HTTP 404").contains("is the URL a deck?");
        deck.enqueue(new MockResponse.Builder().code(403).build());
        CliRun forbidden = CliRun.of("scrape", "--no-flakes", "--url", deckUrl(""));
        assertThat(forbidden.exitCode()).as(forbidden.toString()).isEqualTo(ExitCodes.AUTH);
        assertThat(notFound.out() + forbidden.out()).isEmpty();
    }

    @Test
    void aSilentDeckTimesOut() {
        for (int i = 0; i < 3; i++) {
            deck.enqueue(new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS).body("{}").build());
        }
        CliRun run = CliRun.of("scrape", "--no-flakes", "--url", deckUrl(""), "--timeout", "200ms");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).contains("timed out");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableDeckExitsWith3() {
        String url = "http://127.0.0.1:" + TestEnv.freePort() + "/";
        CliRun run = CliRun.of("scrape", "--no-flakes", "--url", url);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).contains("could not reach deck").contains("use --prowjobs-file FILE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingOrMalformedFileIsBadInput(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("no such file");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"items\":[{\"spec\":{\"job\": 12,]}");
        CliRun malformed = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", broken.toString());
        assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(malformed.err()).contains("malformed JSON");
        Path badGzip = Files.write(dir.resolve("broken.json.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        CliRun gzip = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", badGzip.toString());
        assertThat(gzip.exitCode()).as(gzip.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(gzip.err()).contains("not valid gzip");
        CliRun directory = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", dir.toString());
        assertThat(directory.exitCode()).as(directory.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(directory.err()).contains("could not read");
        assertThat(missing.out() + malformed.out() + gzip.out() + directory.out()).isEmpty();
    }

    @Test
    void rejectsWrongCommandLines() {
        assertThat(CliRun.of("scrape", "--no-flakes", "--influx-db", "prow").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("scrape", "--no-flakes", "--influx-url", "http://127.0.0.1:1").err())
                .contains("needs --influx-db");
        assertThat(CliRun.of("scrape", "--no-flakes", "--measurement", "#comment", "--prowjobs-file", cases().toString())
                .exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("scrape", "--no-flakes", "--url", "prow.ci.openshift.org").err()).contains("not an http(s) URL");
        assertThat(CliRun.of("scrape", "--no-flakes", "--timeout", "0s").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("scrape", "--no-flakes", "-o", "yaml").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun both = CliRun.of("scrape", "--no-flakes", "--influx-url", "http://127.0.0.1:1", "--influx-db", "a",
                "--influx-bucket", "b", "--influx-org", "o", "--influx-token", "t");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("not both");
    }
}
