package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.testing.Readiness;
import dev.prowctl.testing.TestEnv;

class ExporterCommandTest {

    @Test
    void usageErrorsFailAtOnce() {
        CliRun listen = CliRun.of("exporter", "--listen", "nowhere");
        assertThat(listen.exitCode()).as(listen.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(listen.err()).contains("--listen must be HOST:PORT");
        CliRun interval = CliRun.of("exporter", "--interval", "0");
        assertThat(interval.exitCode()).as(interval.toString()).isEqualTo(ExitCodes.USAGE);
        CliRun retries = CliRun.of("exporter", "--retries", "99", "--listen", "127.0.0.1:0");
        assertThat(retries.exitCode()).as(retries.toString()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpListsTheScrapeVocabulary() {
        CliRun help = CliRun.of("exporter", "--help");
        assertThat(help.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(help.out()).contains("--listen").contains("--interval").contains("--job").contains("--no-flakes")
                .contains("--state-dir").contains("--prowjobs-file").contains("127.0.0.1:9096");
    }

    @Test
    void aPortInUseIsAnEnvironmentError(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("exporter", "--no-flakes", "--state-dir", dir.toString(),
                    "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void servesTheRunsOfAPayloadAndSavesTheCountsWhenStopped(@TempDir Path dir) throws Exception {
        Instant end = Instant.parse("2026-11-28T12:00:00Z");
        Path payload = Files.writeString(dir.resolve("prowjobs.js"), "{\"items\":[{\"kind\":\"ProwJob\","
                + "\"metadata\":{\"name\":\"r1\"},\"spec\":{\"type\":\"periodic\",\"job\":\"periodic-x\"},"
                + "\"status\":{\"state\":\"failure\",\"startTime\":\"" + end.minusSeconds(90) + "\","
                + "\"completionTime\":\"" + end + "\",\"build_id\":\"1\"}}]}");
        int port = TestEnv.freePort();
        StringWriter err = new StringWriter();
        Thread exporter = new Thread(() -> Prowctl.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                "exporter", "--listen", "127.0.0.1:" + port, "--url", "https://prow.example.org/", "--prowjobs-file", payload.toString(), "--no-flakes",
                "--state-dir", dir.resolve("state").toString(), "--interval", "1h"), "exporter-under-test");
        exporter.setDaemon(true);
        exporter.start();
        String metrics;
        try {
            metrics = awaitReadyThenMetrics(port);
        } finally {
            exporter.interrupt(); // stops it as SIGTERM does
            exporter.join(15_000);
        }
        assertThat(exporter.isAlive()).as("stopped; stderr: " + err).isFalse();
        assertThat(metrics).contains("prowctl_job_runs_total{base_ref=\"\",job_name=\"periodic-x\",org=\"\","
                + "repo=\"\",state=\"failure\",type=\"periodic\"} 1.0");
        assertThat(err.toString()).contains("serving http://127.0.0.1:" + port + "/metrics").contains("stopped");
        assertThat(Files.readString(dir.resolve("state/exporter-state.json"))).contains("\"r1\"");
    }

    /** Waits until /readyz says the first scrape is done (refused connections: not listening yet), reads /metrics. */
    private static String awaitReadyThenMetrics(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build();
        Readiness.until("the exporter to be ready", Duration.ofSeconds(20), Duration.ofMillis(50),
                () -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode(), status -> status == 200);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
