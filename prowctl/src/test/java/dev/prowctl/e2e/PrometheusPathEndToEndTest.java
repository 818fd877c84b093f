package dev.prowctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.cli.Prowctl;
import dev.prowctl.testing.AlertmanagerServer;
import dev.prowctl.testing.IrcTestClient;
import dev.prowctl.testing.NgircdServer;
import dev.prowctl.testing.PrometheusServer;
import dev.prowctl.testing.Readiness;
import dev.prowctl.testing.TestEnv;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The Prometheus path end to end, every part real except deck: a deck stand-in serving a {@code prowjobs.js} that
 * changes → {@code prowctl exporter} (in-process) → Prometheus (1 s scrape and evaluation, the project's
 * {@code prometheus/rules}) → Alertmanager (the project's {@code alertmanager.yml}) → {@code prowctl relay}
 * (in-process, with the bearer token from a file) → ngIRCd. The project's two configuration files are used as they
 * are, with only their addresses, the token file's path and the intervals that would make the test wait minutes
 * replaced; each replacement must match, so a change in those files breaks this test rather than bypassing it.
 */
class PrometheusPathEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILING = "periodic-ci-openshift-oadp-operator-master-e2e-aws-periodic";
    private static final String LATER = "periodic-ci-openshift-velero-main-unit-periodic";
    private static final String OTHER = "pull-ci-openshift-oadp-operator-master-unit";
    private static final String TOKEN = "e2e-relay-t0ken";

    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private final AtomicReference<String> payload = new AtomicReference<>("{\"items\":[]}");
    private final MockWebServer deck = new MockWebServer();
    private final List<Instance> commands = new ArrayList<>();
    private NgircdServer ircd;
    private IrcTestClient channel;
    private AlertmanagerServer alertmanager;
    private PrometheusServer prometheus;
    private Instance exporter;
    private int exporterPort;

    /** A prowctl command running in-process until its thread is interrupted (as SIGTERM stops it). */
    private record Instance(Thread thread, StringWriter err) {
        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(15_000);
            assertThat(thread.isAlive()).as("stopped; stderr: " + err).isFalse();
        }
    }

    private Instance run(String name, String... args) {
        StringWriter err = new StringWriter();
        Thread thread = new Thread(() -> Prowctl.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                args), name);
        thread.setDaemon(true);
        thread.start();
        Instance instance = new Instance(thread, err);
        commands.add(instance);
        return instance;
    }

    @BeforeEach
    void start() throws Exception {
        deck.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getTarget().startsWith("/prowjobs.js")
                        ? new MockResponse.Builder().code(200).body(payload.get()).build()
                        : new MockResponse.Builder().code(404).build();
            }
        });
        deck.start();
        ircd = NgircdServer.start();
        channel = new IrcTestClient(ircd.port(), "watcher", "#prow");

        int relayPort = TestEnv.freePort();
        Path token = Files.writeString(dir.resolve("relay-token"), TOKEN + "\n");
        run("relay-under-test", "relay", "--listen", "127.0.0.1:" + relayPort, "--auth-token", "@" + token,
                "--irc", "irc://127.0.0.1:" + ircd.port() + "/#prow", "--irc-nick", "prowbot");
        channel.awaitLine(":prowbot!", 15); // the relay joined the channel

        Path repo = TestEnv.repoDir().resolve("prometheus");
        alertmanager = AlertmanagerServer.startWithConfig(adapt(Files.readString(repo.resolve("alertmanager.yml")),
                Map.of("http://relay:9095/hook", "http://127.0.0.1:" + relayPort + "/hook",
                        "/etc/alertmanager/relay-token", token.toString(),
                        "group_wait: 30s", "group_wait: 1s")));

        exporterPort = TestEnv.freePort();
        exporter = startExporter();
        prometheus = PrometheusServer.startWithConfig(adapt(Files.readString(repo.resolve("prometheus.yml")),
                Map.of("scrape_interval: 1m", "scrape_interval: 1s",
                        "evaluation_interval: 1m", "evaluation_interval: 1s",
                        "scrape_timeout: 10s", "scrape_timeout: 1s",
                        "rules/*.yml", repo.resolve("rules").toAbsolutePath() + "/*.yml",
                        "exporter:9096", "127.0.0.1:" + exporterPort,
                        "alertmanager:9093", alertmanager.url().replace("http://", ""))));
    }

    private Instance startExporter() {
        return run("exporter-under-test", "exporter", "--listen", "127.0.0.1:" + exporterPort,
                "--url", deck.url("/").toString(), "--no-flakes", "--state-dir", dir.resolve("state").toString(),
                "--interval", "1s");
    }

    /** The file's text with each key replaced by its value; every key must occur. */
    private static String adapt(String text, Map<String, String> replacements) {
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            assertThat(text).as("the project's file still has " + r.getKey()).contains(r.getKey());
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    @AfterEach
    void stop() throws Exception {
        for (Instance command : commands) {
            command.stop();
        }
        for (AutoCloseable server : new AutoCloseable[] {prometheus, alertmanager, channel, ircd, deck}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void aJobFailingThreeTimesIsSaidOnceOnIrcAndPrometheusHoldsTheRunsAcrossAnExporterRestart() throws Exception {
        Runs runs = new Runs(now)
                .add(FAILING, "success", 50).add(FAILING, "failure", 40).add(FAILING, "failure", 30)
                .add(LATER, "success", 45).add(LATER, "failure", 35).add(LATER, "failure", 25)
                .add(OTHER, "success", 48).add(OTHER, "aborted", 38).add(OTHER, "error", 28);
        payload.set(runs.json());
        assertThat(awaitByState(runs)).isEqualTo(runs.byState());

        // the third failure in a row: one alert, one line in the channel
        runs.add(FAILING, "failure", 20).add(OTHER, "success", 18);
        payload.set(runs.json());
        List<String> said = channel.await(lines -> lines.stream().anyMatch(l -> l.contains(FAILING)), 30);
        assertThat(said).filteredOn(l -> l.contains(FAILING)).singleElement().asString()
                .startsWith(alertLine(FAILING)).contains("/graph?g0.expr=max+by+%28job_name%29");
        assertThat(awaitByState(runs)).isEqualTo(runs.byState());
        double before = sum("sum(prowctl_job_runs_total)");

        // the exporter restarts on the same state dir while deck's window still holds every run
        exporter.stop();
        commands.remove(exporter);
        exporter = startExporter();
        runs.add(OTHER, "success", 8).add(OTHER, "failure", 6).add("periodic-ci-new-job", "success", 4)
                .add(LATER, "failure", 2);
        payload.set(runs.json());
        assertThat(awaitByState(runs)).as("every run counted once, the window not counted again")
                .isEqualTo(runs.byState());
        assertThat(sum("sum(prowctl_job_runs_total)")).isEqualTo(before + 4);
        assertThat(sum("sum(resets(prowctl_job_runs_total[5m]))")).as("no counter reset").isZero();
        assertThat(sum("sum(resets(prowctl_job_run_duration_seconds_count[5m]))")).isZero();

        // a later alert, for another job, arrives after the restart: by then the failing job was said once
        List<String> later = channel.await(lines -> lines.stream().anyMatch(l -> l.contains(LATER)), 30);
        assertThat(later).filteredOn(l -> l.contains(FAILING)).hasSize(1);
        assertThat(later).filteredOn(l -> l.contains(LATER)).singleElement().asString()
                .startsWith(alertLine(LATER));
        assertThat(later).noneMatch(l -> l.contains(OTHER));
    }

    /** The relay's line for the rule's alert (then Prometheus' link to the expression). */
    private static String alertLine(String job) {
        return "[FIRING:1] ProwJobFailing - Prow job " + job + " failed its newest 3 runs in a row http://";
    }

    /** Waits until Prometheus's {@code sum by (state)} equals the runs' counts by state. */
    private Map<String, Double> awaitByState(Runs runs) throws InterruptedException {
        Map<String, Double> expected = runs.byState();
        return Readiness.until("Prometheus to store " + expected + "; exporter: " + exporter.err(), WAIT, POLL,
                () -> vector("sum by (state) (prowctl_job_runs_total)", "state"), expected::equals);
    }

    private double sum(String promql) throws IOException, InterruptedException {
        Map<String, Double> result = vector(promql, null);
        assertThat(result).as(promql).containsKey("");
        return result.get("");
    }

    private Map<String, Double> vector(String promql, String label) throws IOException, InterruptedException {
        JsonNode result = JSON.readTree(prometheus.query(promql)).path("data").path("result");
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : result) {
            values.put(label == null ? "" : sample.path("metric").path(label).asText(),
                    Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }

    /** Deck's finished runs, newest last; each ended {@code minutesAgo} before the test started and took 10 min. */
    private static final class Runs {
        private final Instant now;
        private final List<String[]> runs = new ArrayList<>();

        Runs(Instant now) {
            this.now = now;
        }

        Runs add(String job, String state, int minutesAgo) {
            runs.add(new String[] {job, state, String.valueOf(minutesAgo)});
            return this;
        }

        Map<String, Double> byState() {
            Map<String, Double> counts = new TreeMap<>();
            for (String state : List.of("success", "failure", "flake", "aborted", "error")) {
                counts.put(state, 0.0);
            }
            runs.forEach(run -> counts.merge(run[1], 1.0, Double::sum));
            return counts;
        }

        String json() {
            StringBuilder out = new StringBuilder("{\"items\":[");
            for (int i = runs.size() - 1; i >= 0; i--) { // deck lists the newest first
                String[] run = runs.get(i);
                Instant end = now.minus(Duration.ofMinutes(Long.parseLong(run[2])));
                String type = run[0].startsWith("pull-") ? "presubmit" : "periodic";
                String refs = "\"org\":\"openshift\",\"repo\":\"oadp-operator\",\"base_ref\":\"master\"";
                out.append(i == runs.size() - 1 ? "" : ",")
                        .append("{\"kind\":\"ProwJob\",\"metadata\":{\"name\":\"run-").append(i).append("\"},")
                        .append("\"spec\":{\"type\":\"").append(type).append("\",\"job\":\"").append(run[0])
                        .append("\",").append(type.equals("presubmit")
                                ? "\"refs\":{" + refs + ",\"pulls\":[{\"number\":7,\"author\":\"dev\"}]}"
                                : "\"extra_refs\":[{" + refs + "}]")
                        .append("},\"status\":{\"state\":\"").append(run[1])
                        .append("\",\"startTime\":\"").append(end.minus(Duration.ofMinutes(10)))
                        .append("\",\"completionTime\":\"").append(end)
                        .append("\",\"build_id\":\"").append(1000 + i).append("\"}}");
            }
            return out.append("]}").toString();
        }
    }
}
