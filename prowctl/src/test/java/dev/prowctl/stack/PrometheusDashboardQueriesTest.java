package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.Prowctl;
import dev.prowctl.testing.PrometheusServer;
import dev.prowctl.testing.Readiness;
import dev.prowctl.testing.TestEnv;

/**
 * Every PromQL query of {@code dashboards/prometheus/} (panel targets and template variables), interpolated as
 * Grafana 12.2 does ({@link GrafanaPromInterpolation}), runs against a real Prometheus holding known runs, and its
 * answer must equal what the runs say: the series and their values, not just "some data".
 * <p>
 * The data: a generated ProwJobs payload of 3 days, {@code prowctl scrape -o openmetrics} on it, {@code promtool tsdb
 * create-blocks-from openmetrics} (the documented backfill), then the project's recording rules backfilled with
 * {@code promtool tsdb create-blocks-from rules} in two passes (the ratio rules read the increase rules), and a live
 * {@code prowctl exporter} scraped every second for the exporter-health panels. History panels are evaluated at the
 * history's end {@link #T}, with the dashboards' saved range (24 h) ending there.
 */
class PrometheusDashboardQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path DIR = TestEnv.repoDir().resolve("dashboards/prometheus");
    /** The history's end, aligned to 15 minutes so that the 7-day rule group (every 15m) has a value there. */
    static final long T = Instant.parse("2026-11-20T00:00:00Z").getEpochSecond();
    private static final long STEP = 300;
    private static final long RANGE = 86_400;
    private static final double[] BUCKETS = {30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800,
            14400, 18000, 21600, 28800, 36000, Double.POSITIVE_INFINITY};

    /** One generated run: what the payload says, and the labels the exporter gives it. */
    record Run(String job, String type, String org, String repo, String baseRef, String state, long start, long end) {
        long counted() {
            return Math.floorDiv(end + STEP - 1, STEP) * STEP;
        }

        String label(String name) {
            return switch (name) {
                case "job_name" -> job;
                case "type" -> type;
                case "org" -> org;
                case "repo" -> repo;
                case "base_ref" -> baseRef;
                case "state" -> state;
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    static final List<Run> RUNS = generate();
    private static Path dir;
    private static PrometheusServer prometheus;
    private static Thread exporter;

    // ---------------------------------------------------------------------------------------------- the data

    /** Six jobs over 3 days: periodics with and without repository, presubmits on two repositories, batch runs. */
    static List<Run> generate() {
        List<Run> runs = new ArrayList<>();
        long from = T - 3 * 86_400;
        // "flake": a failure whose artifacts the classifier (against the fake GCS below) calls an infrastructure flake
        String[] aws = {"success", "success", "failure", "success", "aborted", "success", "success", "error",
                "success", "flake", "success", "failure", "success", "success", "flake", "success", "success",
                "success"};
        for (int i = 0; i < aws.length; i++) {
            long end = from + 1_020 + i * 4 * 3_600L;
            runs.add(new Run("periodic-ci-openshift-oadp-operator-master-4.16-e2e-aws", "periodic", "openshift",
                    "oadp-operator", "master", aws[i], end - 5_400 - 60L * i, end));
        }
        // newest three counted runs failed (an aborted one between them neither counts nor ends the streak)
        String[] gcp = {"success", "success", "failure", "success", "success", "success", "failure", "aborted",
                "failure", "error"};
        for (int i = 0; i < gcp.length; i++) {
            long end = from + 7_260 + i * 7 * 3_600L;
            runs.add(new Run("periodic-ci-openshift-oadp-operator-master-4.15-e2e-gcp", "periodic", "openshift",
                    "oadp-operator", "master", gcp[i], end - 9_000 - 120L * i, end));
        }
        for (int i = 0; i < 12; i++) {
            long end = from + 2_000 + i * 6 * 3_600L;
            runs.add(new Run("periodic-ci-infra-health", "periodic", "", "", "", i % 5 == 4 ? "failure" : "success",
                    end - 40 - i, end));
        }
        for (int i = 0; i < 30; i++) {
            long end = from + 3_100 + i * 8_400L;
            String state = i % 7 == 3 ? "failure" : i % 11 == 5 ? "error" : i % 13 == 6 ? "aborted"
                    : i == 27 ? "flake" : "success";
            runs.add(new Run("pull-ci-openshift-oadp-operator-master-unit", i % 10 == 9 ? "batch" : "presubmit",
                    "openshift", "oadp-operator", "master", state, end - 200 - 13L * i, end));
        }
        for (int i = 0; i < 9; i++) {
            long end = from + 9_000 + i * 27_000L;
            runs.add(new Run("pull-ci-openshift-velero-oadp-1.4-e2e", "presubmit", "openshift", "velero", "oadp-1.4",
                    i % 3 == 1 ? "failure" : i == 8 ? "flake" : "success", end - 3_000 - 400L * i, end));
        }
        for (int i = 0; i < 6; i++) {
            long end = from + 20_000 + i * 40_000L;
            runs.add(new Run("branch-ci-openshift-oadp-operator-master-images", "postsubmit", "openshift",
                    "oadp-operator", "master", i == 2 ? "error" : "success", end - 1_500, end));
        }
        // the newest run ends in the step before T: the history (and every series) ends at T
        runs.add(new Run("periodic-ci-infra-health", "periodic", "", "", "", "success", T - 100, T - 60));
        return runs;
    }

    private static ObjectNode prowJob(Run run, int index) {
        ObjectNode job = JSON.createObjectNode().put("kind", "ProwJob");
        job.putObject("metadata").put("name", "run-" + index);
        ObjectNode spec = job.putObject("spec").put("type", run.type()).put("job", run.job());
        // the ci-operator target: what makes a failed e2e or unit run a flake-classification candidate
        spec.putObject("pod_spec").putArray("containers").addObject().putArray("args").add("--target=e2e");
        if (!run.repo().isEmpty()) {
            ObjectNode refs = JSON.createObjectNode().put("org", run.org()).put("repo", run.repo())
                    .put("base_ref", run.baseRef());
            if (run.type().equals("presubmit") || run.type().equals("batch")) {
                refs.putArray("pulls").addObject().put("number", 100 + index).put("author", "someone")
                        .put("sha", "abc" + index);
            }
            if (run.type().equals("periodic")) {
                spec.putArray("extra_refs").add(refs);
            } else {
                spec.set("refs", refs);
            }
        }
        job.putObject("status").put("state", run.state().equals("flake") ? "failure" : run.state()).put("startTime", Instant.ofEpochSecond(run.start()).toString())
                .put("completionTime", Instant.ofEpochSecond(run.end()).toString()).put("build_id", "1" + index)
                .put("url", "https://prow.example.org/view/gs/bucket/" + runPath(run, index));
        return job;
    }

    private static String runPath(Run run, int index) {
        return "logs/" + run.job() + "/1" + index;
    }

    /**
     * A GCS JSON API stand-in: every run directory exists; the test step's directory of a run generated as "flake"
     * has no build-log.txt (the classifier's infrastructure-flake signal), every other one has; no junit file.
     */
    private static MockWebServer fakeGcs() throws IOException {
        Set<String> flakes = new HashSet<>();
        for (int i = 0; i < RUNS.size(); i++) {
            if (RUNS.get(i).state().equals("flake")) {
                flakes.add(runPath(RUNS.get(i), i) + "/");
            }
        }
        MockWebServer gcs = new MockWebServer();
        gcs.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String prefix = request.getUrl().queryParameter("prefix");
                if (request.getUrl().encodedPath().startsWith("/storage/v1/b/") && prefix != null
                        && request.getUrl().queryParameter("alt") == null) {
                    boolean flake = flakes.stream().anyMatch(prefix::startsWith);
                    String item = !prefix.contains("/artifacts/") ? "finished.json" : flake ? null : "build-log.txt";
                    String items = item == null ? "" : ",\"items\":[{\"name\":\"" + prefix + item + "\"}]";
                    return new MockResponse.Builder().body("{\"kind\":\"storage#objects\"" + items + "}")
                            .addHeader("Content-Type", "application/json").build();
                }
                return new MockResponse.Builder().code(404).body("{\"error\":{\"code\":404}}").build();
            }
        });
        gcs.start();
        return gcs;
    }

    @BeforeAll
    static void backfillAndStart() throws Exception {
        Path promtool = TestEnv.requireBinary("promtool", "prometheus");
        TestEnv.requireBinary("prometheus", "prometheus");
        dir = Files.createTempDirectory("prowctl-prom-dashboards");
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode items = payload.putArray("items");
        for (int i = 0; i < RUNS.size(); i++) {
            items.add(prowJob(RUNS.get(i), i));
        }
        Path payloadFile = dir.resolve("prowjobs.json");
        JSON.writeValue(payloadFile.toFile(), payload);

        CliRun history;
        CliRun json;
        try (MockWebServer gcs = fakeGcs()) {
            String[] flakeOptions = {"--gcs-api-url", gcs.url("/").toString(), "--gcsweb-url",
                    gcs.url("/gcs/").toString(), "--state-dir", dir.resolve("scrape-state").toString(), "--retries",
                    "0"};
            history = CliRun.of(concat(new String[] {"scrape", "--prowjobs-file", payloadFile.toString(), "--job",
                    "*", "-o", "openmetrics"}, flakeOptions));
            json = CliRun.of(concat(new String[] {"scrape", "--prowjobs-file", payloadFile.toString(), "--job", "*",
                    "-o", "json"}, flakeOptions));
        }
        assertThat(history.exitCode()).as(history.toString()).isEqualTo(ExitCodes.OK);
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCodes.OK);
        // the scrape saw the runs as generated, flakes included
        Map<String, Long> byState = new TreeMap<>();
        json.out().lines().forEach(line -> {
            try {
                byState.merge(JSON.readTree(line).path("state").asText(), 1L, Long::sum);
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        });
        Map<String, Long> generated = new TreeMap<>();
        RUNS.forEach(r -> generated.merge(r.state(), 1L, Long::sum));
        assertThat(byState).isEqualTo(generated).containsKey("flake");
        Files.writeString(dir.resolve("history.om"), history.out());
        Path data = dir.resolve("data");
        run(promtool, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=8760h",
                dir.resolve("history.om").toString(), data.toString());

        // the recording rules over the history: first those on raw series, then those reading them
        // Prometheus offsets a group's evaluations by a hash of its name and its rule file's path as given. Both
        // passes use one path, so the ratios are evaluated when the increases they read were, as in a Prometheus
        // running the rules. A path relative to the temp dir (promtool runs there), not the random temp dir's, keeps
        // the offsets the same from run to run: for prowctl.yml the 7-day group evaluates 579.6 s past each quarter
        // hour. -Dprowctl.test.rulesFile=rules/prowctl.yml moves that to 8.3 s, where the table is asked before T.
        List<String> passes = rulePasses();
        String rulesFile = System.getProperty("prowctl.test.rulesFile", "prowctl.yml");
        Path rules = dir.resolve(rulesFile);
        Files.createDirectories(rules.getParent());
        for (int pass = 0; pass < passes.size(); pass++) {
            Files.writeString(rules, passes.get(pass));
            try (PrometheusServer raw = PrometheusServer.start("", data)) {
                Path out = dir.resolve("rules-pass" + pass);
                // the importer leaves out its end: evaluate past T so that both groups have a sample at T
                runIn(dir, promtool, "tsdb", "create-blocks-from", "rules", "--start=" + (T - 3 * 86_400 - 3_600),
                        "--end=" + (T + 900), "--url=" + raw.url(), "--output-dir=" + out, rulesFile);
                try (Stream<Path> blocks = Files.list(out)) {
                    for (Path block : blocks.toList()) {
                        Files.move(block, data.resolve(block.getFileName()));
                    }
                }
            }
        }

        // a live exporter for the health panels: no job of the payload matches its --job, so it adds no runs
        int port = TestEnv.freePort();
        Path live = dir.resolve("live.json");
        Files.copy(payloadFile, live);
        exporter = new Thread(() -> Prowctl.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "exporter", "--listen", "127.0.0.1:" + port, "--url", "https://prow.example.org/",
                "--prowjobs-file", live.toString(), "--job", "no-such-job", "--no-flakes",
                "--state-dir", dir.resolve("state").toString(), "--interval", "1s"), "exporter-for-dashboards");
        exporter.setDaemon(true);
        exporter.start();
        prometheus = PrometheusServer.start("""
                  - job_name: prowctl-exporter
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port), data);
        awaitInstant("prowctl_scrape_last_success_timestamp_seconds", Duration.ofSeconds(60));
        // then deck's payload breaks: the exporter counts the malformed payloads and keeps its last success
        Files.writeString(live, "<html>not a payload</html>");
        awaitInstant("prowctl_scrape_errors_total{reason=\"payload\"} >= 2", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.interrupt();
            exporter.join(15_000);
        }
        if (dir != null) {
            TestEnv.deleteTree(dir);
        }
    }

    /** prometheus/rules/prowctl.yml's recording rules in two files: on raw series, then on recorded ones. */
    private static List<String> rulePasses() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode rules = yaml.readTree(TestEnv.repoDir().resolve("prometheus/rules/prowctl.yml").toFile());
        Set<String> recorded = new HashSet<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.has("record")) {
                recorded.add(r.path("record").asText());
            }
        }));
        List<String> files = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            ObjectNode file = yaml.createObjectNode();
            ArrayNode groups = file.putArray("groups");
            for (JsonNode group : rules.path("groups")) {
                ObjectNode copy = group.deepCopy();
                ArrayNode kept = copy.putArray("rules");
                for (JsonNode rule : group.path("rules")) {
                    boolean readsRecorded = recorded.stream().anyMatch(rule.path("expr").asText()::contains);
                    if (rule.has("record") && readsRecorded == (pass == 1)) {
                        kept.add(rule);
                    }
                }
                if (!kept.isEmpty()) {
                    groups.add(copy);
                }
            }
            files.add(yaml.writeValueAsString(file));
        }
        return files;
    }

    private static String[] concat(String[] first, String[] second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
    }

    private static void run(Path binary, String... args) throws IOException, InterruptedException {
        runIn(null, binary, args);
    }

    private static void runIn(Path workDir, Path binary, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir == null ? null : workDir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + "\n" + output).isZero();
    }

    private static void awaitInstant(String promql, Duration timeout) throws Exception {
        Readiness.until(promql + " in Prometheus", timeout, Duration.ofMillis(200),
                () -> instant(promql, Instant.now().getEpochSecond()), answer -> !answer.isEmpty());
    }

    // ---------------------------------------------------------------------------------------------- Prometheus

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("status").asText()).as(response.body()).isEqualTo("success");
        return answer.path("data");
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A result's labels as one key: {@code name=value} pairs sorted by name, {@code __name__} left out. */
    private static String key(JsonNode metric) {
        Map<String, String> labels = new TreeMap<>();
        metric.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("__name__")) {
                labels.put(e.getKey(), e.getValue().asText());
            }
        });
        return labels.toString();
    }

    static Map<String, Double> instant(String promql, long time) throws IOException, InterruptedException {
        Map<String, Double> values = new TreeMap<>();
        JsonNode data = get("/api/v1/query?query=" + enc(promql) + "&time=" + time);
        if (data.path("resultType").asText().equals("scalar")) {
            values.put("{}", data.path("result").get(1).asDouble());
            return values;
        }
        for (JsonNode sample : data.path("result")) {
            values.put(key(sample.path("metric")), Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }

    static Map<String, Map<Long, Double>> range(String promql, long start, long end, long step)
            throws IOException, InterruptedException {
        Map<String, Map<Long, Double>> series = new TreeMap<>();
        JsonNode data = get("/api/v1/query_range?query=" + enc(promql) + "&start=" + start + "&end=" + end + "&step="
                + step);
        for (JsonNode s : data.path("result")) {
            Map<Long, Double> points = new TreeMap<>();
            s.path("values").forEach(p -> points.put(p.get(0).asLong(), Double.parseDouble(p.get(1).asText())));
            series.put(key(s.path("metric")), points);
        }
        return series;
    }

    // ---------------------------------------------------------------------------------------------- the model

    /** A user's selection on a dashboard: the variables' values, and which runs they leave. */
    record Selection(String name, Map<String, Object> values, Predicate<Run> runs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Predicate<Run> jobMatches(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return run -> pattern.matcher(run.job()).matches();
    }

    static final Predicate<Run> PRS = r -> r.type().equals("presubmit") || r.type().equals("batch");
    static final Predicate<Run> PERIODICS = r -> r.type().equals("periodic");

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"prow-overview.json", new Selection("everything", Map.of(), r -> true)});
        cases.add(new Object[] {"prow-overview.json", new Selection("job regex oadp-operator.*, repo oadp-operator",
                Map.of("job", "oadp-operator.*|.*oadp-operator.*", "repo", List.of("oadp-operator")),
                jobMatches("oadp-operator.*|.*oadp-operator.*").and(r -> r.repo().equals("oadp-operator")))});
        cases.add(new Object[] {"prow-overview.json", new Selection("types periodic and batch",
                Map.of("type", List.of("periodic", "batch")),
                r -> r.type().equals("periodic") || r.type().equals("batch"))});
        cases.add(new Object[] {"prow-pull-requests.json", new Selection("everything", Map.of(), PRS)});
        cases.add(new Object[] {"prow-pull-requests.json", new Selection("branch oadp-1.4 (a dot to escape)",
                Map.of("base_ref", List.of("oadp-1.4")), PRS.and(r -> r.baseRef().equals("oadp-1.4")))});
        cases.add(new Object[] {"prow-pull-requests.json", new Selection("two repositories, type presubmit",
                Map.of("repo", List.of("oadp-operator", "velero"), "type", List.of("presubmit")),
                r -> r.type().equals("presubmit"))});
        cases.add(new Object[] {"prow-periodics.json", new Selection("everything", Map.of(), PERIODICS)});
        cases.add(new Object[] {"prow-periodics.json", new Selection("job regex .*e2e.*",
                Map.of("job", ".*e2e.*"), PERIODICS.and(jobMatches(".*e2e.*")))});
        return cases;
    }

    /** The runs a selection leaves, counted at or before {@code t}. */
    private static List<Run> selected(Selection selection, long t) {
        return RUNS.stream().filter(selection.runs()).filter(r -> r.counted() <= t).toList();
    }

    private static String keyOf(Run run, List<String> by) {
        Map<String, String> labels = new TreeMap<>();
        for (String name : by) {
            if (!run.label(name).isEmpty()) {
                labels.put(name, run.label(name));
            }
        }
        return labels.toString();
    }

    /** Runs per group counted in (from, to]; every group with a series at all is there, with 0 if need be. */
    private static Map<String, Double> count(List<Run> runs, List<String> by, long from, long to,
            Predicate<Run> state) {
        Map<String, Double> counts = new TreeMap<>();
        runs.stream().filter(state).forEach(r -> counts.merge(keyOf(r, by), 0.0, Double::sum));
        runs.stream().filter(state).filter(r -> r.counted() > from && r.counted() <= to)
                .forEach(r -> counts.merge(keyOf(r, by), 1.0, Double::sum));
        return counts;
    }

    private static Predicate<Run> states(String... states) {
        Set<String> set = Set.of(states);
        return r -> set.contains(r.state());
    }

    /** numerator / denominator per group, only where the denominator has runs in the window (the rules' shape). */
    private static Map<String, Double> ratio(List<Run> runs, List<String> by, long from, long to,
            Predicate<Run> numerator, Predicate<Run> denominator) {
        Map<String, Double> num = count(runs, by, from, to, numerator);
        Map<String, Double> den = count(runs, by, from, to, denominator);
        Map<String, Double> result = new TreeMap<>();
        den.forEach((group, d) -> {
            if (d > 0) {
                result.put(group, num.getOrDefault(group, 0.0) / d);
            }
        });
        return result;
    }

    /** The jobs whose runs the selection leaves: the job-level families are kept for those. */
    private static Set<String> jobs(List<Run> runs) {
        Set<String> jobs = new TreeSet<>();
        runs.forEach(r -> jobs.add(keyOf(r, List.of("job_name"))));
        return jobs;
    }

    /** Trailing failures and errors of each job (all of its runs: the gauge has only job_name). */
    private static Map<String, Double> streaks(Set<String> jobs) {
        Map<String, Double> streaks = new TreeMap<>();
        RUNS.stream().filter(r -> r.counted() <= T).sorted((a, b) -> Long.compare(a.end(), b.end())).forEach(r -> {
            String job = keyOf(r, List.of("job_name"));
            switch (r.state()) {
                case "failure", "error" -> streaks.merge(job, 1.0, Double::sum);
                case "success" -> streaks.put(job, 0.0);
                default -> streaks.putIfAbsent(job, 0.0);
            }
        });
        streaks.keySet().retainAll(jobs);
        return streaks;
    }

    /**
     * The last-run gauge at {@code at}: its newest sample then, from the step at or before {@code at}, holds the
     * newest run finished by that step. A run is seen a step after it ends (as the exporter, scraped every 5 minutes,
     * would), so before T the newest run (ending at T - 60) is not there yet.
     */
    private static Map<String, Double> lastRuns(Set<String> jobs, long at) {
        Map<String, Double> last = new TreeMap<>();
        RUNS.stream().filter(r -> r.counted() <= at)
                .forEach(r -> last.merge(keyOf(r, List.of("job_name")), r.end() * 1000.0, Math::max));
        last.keySet().retainAll(jobs);
        return last;
    }

    private static Map<String, Double> meanDurations(List<Run> runs, long from) {
        Map<String, double[]> sums = new TreeMap<>();
        runs.stream().filter(r -> !r.state().equals("aborted")).filter(r -> r.counted() > from)
                .forEach(r -> {
                    double[] s = sums.computeIfAbsent(keyOf(r, List.of("job_name")), k -> new double[2]);
                    s[0] += r.end() - r.start();
                    s[1]++;
                });
        Map<String, Double> means = new TreeMap<>();
        sums.forEach((job, s) -> means.put(job, s[0] / s[1]));
        return means;
    }

    /** histogram_quantile (Prometheus 2.42) over the window's bucket counts; NaN for a job without runs in it. */
    private static Map<String, Double> quantiles(List<Run> runs, long from, double q) {
        Map<String, List<Double>> durations = new TreeMap<>();
        runs.stream().filter(r -> !r.state().equals("aborted")).forEach(r -> {
            List<Double> list = durations.computeIfAbsent(keyOf(r, List.of("job_name")), k -> new ArrayList<>());
            if (r.counted() > from) {
                list.add((double) (r.end() - r.start()));
            }
        });
        Map<String, Double> result = new TreeMap<>();
        durations.forEach((job, list) -> {
            double[] cumulative = new double[BUCKETS.length];
            for (int i = 0; i < BUCKETS.length; i++) {
                double bound = BUCKETS[i];
                cumulative[i] = list.stream().filter(d -> d <= bound).count();
            }
            double total = cumulative[BUCKETS.length - 1];
            if (total == 0) {
                result.put(job, Double.NaN);
                return;
            }
            double rank = q * total;
            int b = 0;
            while (b < BUCKETS.length - 1 && cumulative[b] < rank) {
                b++;
            }
            if (b == BUCKETS.length - 1) {
                result.put(job, BUCKETS[BUCKETS.length - 2]);
                return;
            }
            double start = b == 0 ? 0 : BUCKETS[b - 1];
            double below = b == 0 ? 0 : cumulative[b - 1];
            result.put(job, start + (BUCKETS[b] - start) * ((rank - below) / (cumulative[b] - below)));
        });
        return result;
    }

    private static final Predicate<Run> ANY = r -> true;
    private static final Predicate<Run> FAILED = states("failure", "error");
    private static final Predicate<Run> PASS_DEN = states("success", "failure", "error");
    private static final Predicate<Run> FLAKE_DEN = states("success", "failure", "error", "flake");

    /** What an instant panel query must answer at {@link #T} for a selection; null: not an instant query here. */
    private static Map<String, Double> expectedInstant(String panel, String ref, Selection selection) {
        List<Run> runs = selected(selection, T);
        long from = T - RANGE;
        Set<String> jobs = jobs(runs);
        List<String> none = List.of();
        List<String> job = List.of("job_name");
        return switch (panel + " / " + ref) {
            case "Finished runs / A" -> count(runs, none, from, T, ANY);
            case "Pass rate / A" -> ratio(runs, none, from, T, states("success"), PASS_DEN);
            case "Flake rate / A" -> ratio(runs, none, from, T, states("flake"), FLAKE_DEN);
            case "Failed runs / A" -> count(runs, none, from, T, FAILED);
            case "Jobs failing 3+ in a row / A" -> Map.of("{}",
                    (double) streaks(jobs).values().stream().filter(v -> v >= 3).count());
            case "Jobs in the time range / A", "Per job / A", "Periodic jobs in the time range / A" ->
                    count(runs, job, from, T, ANY);
            case "Jobs in the time range / B", "Per job / B", "Periodic jobs in the time range / B" ->
                    ratio(runs, job, from, T, states("success"), PASS_DEN);
            case "Jobs in the time range / C", "Per job / C", "Periodic jobs in the time range / C" ->
                    ratio(runs, job, from, T, states("flake"), FLAKE_DEN);
            case "Jobs in the time range / D", "Per job / D", "Periodic jobs in the time range / D" -> streaks(jobs);
            case "Per repository and branch / A" -> count(runs, List.of("org", "repo", "base_ref"), from, T, ANY);
            case "Per repository and branch / B" -> count(runs, List.of("org", "repo", "base_ref"), from, T, FAILED);
            case "Per repository and branch / C" ->
                    ratio(runs, List.of("org", "repo", "base_ref"), from, T, states("success"), PASS_DEN);
            case "Mean run time per job / A" -> meanDurations(runs, from);
            case "90th percentile run time per job / A" -> quantiles(runs, from, 0.9);
            default -> ruleTable(panel, ref, selection, ruleQueryTime());
        };
    }

    private static boolean isRuleTable(String panel) {
        return panel.startsWith("Pass and flake rate per job") || panel.startsWith("Periodic jobs: pass and flake");
    }

    /**
     * The recording-rule table asked at {@code at}: each rule's value per job at the rule's last evaluation at or
     * before {@code at} (Prometheus offsets a group's evaluations within its interval; the 7-day group runs every 15
     * minutes), from all runs of the job, for the selection's jobs; and the last run as the gauge says at {@code at}.
     */
    private static Map<String, Double> ruleTable(String panel, String ref, Selection selection, long at) {
        if (!isRuleTable(panel)) {
            return null;
        }
        // the table's rows: jobs with a selected runs_total series then (each job's series run up to T)
        assertThat(at).as("the history's series are visible (5-minute lookback) at %d", at).isLessThan(T + STEP);
        Map<String, Long> jobStart = new TreeMap<>();
        RUNS.forEach(r -> jobStart.merge(r.job(), r.counted() - STEP, Math::min));
        Set<String> jobs = jobs(RUNS.stream().filter(selection.runs()).filter(r -> jobStart.get(r.job()) <= at)
                .toList());
        Map<String, Double> result = switch (ref) {
            case "A" -> ruleAt("job_name:prowctl_job_pass:ratio_increase1d", 86_400, states("success"), PASS_DEN,
                    at);
            case "B" -> ruleAt("job_name:prowctl_job_pass:ratio_increase7d", 7 * 86_400, states("success"), PASS_DEN,
                    at);
            case "C" -> ruleAt("job_name:prowctl_job_flake:ratio_increase1d", 86_400, states("flake"), FLAKE_DEN,
                    at);
            case "D" -> ruleAt("job_name:prowctl_job_flake:ratio_increase7d", 7 * 86_400, states("flake"),
                    FLAKE_DEN, at);
            case "E" -> lastRuns(jobs, at);
            default -> throw new AssertionError(ref);
        };
        result.keySet().retainAll(jobs);
        return result;
    }

    private static long ruleQueryTime;

    /**
     * When the rule table is asked: as late after the 7-day group's last evaluation before T as the raw series
     * allow (they end at T and stay visible for Prometheus' 5-minute lookback), at most 10 minutes, so that
     * reading a 15-minute rule without last_over_time finds nothing there, as a dashboard would most of the time.
     * The same every run, as the rule file's path is (T + 279 s for prowctl.yml); every other time is asked in
     * {@link #theRuleTableAnswersWhatTheRunsSayWheneverItIsAsked}.
     */
    static synchronized long ruleQueryTime() {
        if (ruleQueryTime == 0) {
            long sevenDays = evaluatedAt("job_name:prowctl_job_pass:ratio_increase7d", T) / 1000;
            ruleQueryTime = Math.min(sevenDays + 600, T + 290);
        }
        return ruleQueryTime;
    }

    /** When a recorded series was last evaluated at or before {@code time}: its newest sample time, in ms. */
    private static long evaluatedAt(String record, long time) {
        try {
            // a range selector answers the stored samples with their own timestamps
            double newest = 0;
            for (JsonNode series : get("/api/v1/query?query=" + enc(record + "[1200s]") + "&time=" + time)
                    .path("result")) {
                for (JsonNode sample : series.path("values")) {
                    newest = Math.max(newest, sample.get(0).asDouble());
                }
            }
            return Math.round(newest * 1000);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A ratio rule per job as Prometheus computes it at its evaluation time: increase() per series (job, type, org,
     * repo, base_ref, state), extrapolated as Prometheus does, summed by job and state, then the rule's ratio.
     */
    private static Map<String, Double> ruleAt(String record, long window, Predicate<Run> numerator,
            Predicate<Run> denominator, long at) {
        long atMillis = evaluatedAt(record, at);
        // mostly within one interval (15 minutes at most); but promtool's rule backfill queries each 2-hour block
        // from its first whole second to its last, so an evaluation less than a second before a block's end is left
        // out (a 7-day group offset of 899.x s): the newest is then up to 20 minutes old, as last_over_time allows
        assertThat(atMillis).as(record + " evaluated within 20 minutes before " + at)
                .isBetween((at - 1_200) * 1000, at * 1000);
        Map<String, List<Run>> series = new TreeMap<>();
        RUNS.forEach(r -> series.computeIfAbsent(keyOf(r, List.of("job_name", "type", "org", "repo", "base_ref",
                "state")), k -> new ArrayList<>()).add(r));
        Map<String, Long> jobStart = new TreeMap<>();
        RUNS.forEach(r -> jobStart.merge(r.job(), r.counted() - STEP, Math::min));
        Map<String, Double> num = new TreeMap<>();
        Map<String, Double> den = new TreeMap<>();
        for (List<Run> runs : series.values()) {
            Run any = runs.get(0);
            Double increase = increase(runs, jobStart.get(any.job()), atMillis, window);
            String job = keyOf(any, List.of("job_name"));
            if (increase != null && numerator.test(any)) {
                num.merge(job, increase, Double::sum);
            }
            if (increase != null && denominator.test(any)) {
                den.merge(job, increase, Double::sum);
            }
        }
        Map<String, Double> result = new TreeMap<>();
        den.forEach((job, d) -> {
            if (d > 0) {
                result.put(job, num.getOrDefault(job, 0.0) / d);
            }
        });
        return result;
    }

    /**
     * Prometheus 2.42's increase() at {@code atMillis} over {@code window} seconds of one backfilled series (a
     * sample every step from its job's first step to T, holding the runs counted by then): extrapolated to the
     * window's edges when the samples come close enough to them, never to below zero.
     */
    private static Double increase(List<Run> runs, long firstTick, long atMillis, long window) {
        List<long[]> samples = new ArrayList<>();
        for (long tick = firstTick; tick <= T; tick += STEP) {
            if (tick * 1000 >= atMillis - window * 1000 && tick * 1000 <= atMillis) {
                long tickAt = tick;
                samples.add(new long[] {tick * 1000, runs.stream().filter(r -> r.counted() <= tickAt).count()});
            }
        }
        if (samples.size() < 2) {
            return null;
        }
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        double result = last[1] - first[1];
        double toStart = (first[0] - (atMillis - window * 1000)) / 1000.0;
        double toEnd = (atMillis - last[0]) / 1000.0;
        double sampled = (last[0] - first[0]) / 1000.0;
        double average = sampled / (samples.size() - 1);
        if (result > 0 && first[1] >= 0) {
            toStart = Math.min(toStart, sampled * (first[1] / result));
        }
        double interval = sampled + (toStart < average * 1.1 ? toStart : average / 2)
                + (toEnd < average * 1.1 ? toEnd : average / 2);
        return result * (interval / sampled);
    }

    /** What a range panel query must answer over the dashboard's range ending at T, step by step. */
    private static Map<String, Map<Long, Double>> expectedRange(String panel, Selection selection,
            GrafanaPromInterpolation.Timing timing) {
        List<Run> runs = selected(selection, T);
        long step = timing.step().toSeconds();
        long window = panel.equals("Finished runs per hour") ? timing.rateInterval().toSeconds() : step;
        Map<String, Map<Long, Double>> result = new TreeMap<>();
        for (long t = timing.alignedStart(); t <= timing.alignedEnd(); t += step) {
            Map<String, Double> values = switch (panel) {
                case "Runs by state", "Presubmit runs by state", "Periodic runs by state" ->
                        presentFrom(runs, List.of("state"), t, window, ANY);
                case "Failed runs per job" -> positive(presentFrom(runs, List.of("job_name"), t, window, FAILED));
                case "Finished runs per hour" -> scale(presentFrom(runs, List.of(), t, window, ANY),
                        3600.0 / window);
                default -> throw new AssertionError("no expectation for range panel " + panel);
            };
            long at = t;
            values.forEach((group, value) -> result.computeIfAbsent(group, g -> new TreeMap<>()).put(at, value));
        }
        return result;
    }

    /**
     * increase over [t - window, t] of the groups' series: a series exists over all of its job's steps (the
     * backfill starts every counter of a job at 0 on the step before the job's first run), so a group is there
     * once a job with such a series has two samples in the window.
     */
    private static Map<String, Double> presentFrom(List<Run> runs, List<String> by, long t, long window,
            Predicate<Run> filter) {
        Map<String, Long> jobStart = new TreeMap<>();
        RUNS.forEach(r -> jobStart.merge(r.job(), r.counted() - STEP, Math::min));
        Map<String, Double> values = new TreeMap<>();
        for (Run r : runs) {
            if (filter.test(r) && jobStart.get(r.job()) <= t - STEP) {
                values.merge(keyOf(r, by), 0.0, Double::sum);
            }
        }
        for (Run r : runs) {
            if (filter.test(r) && r.counted() > t - window && r.counted() <= t) {
                values.merge(keyOf(r, by), 1.0, Double::sum);
            }
        }
        return values;
    }

    private static Map<String, Double> positive(Map<String, Double> values) {
        values.values().removeIf(v -> v <= 0);
        return values;
    }

    private static Map<String, Double> scale(Map<String, Double> values, double factor) {
        values.replaceAll((k, v) -> v * factor);
        return values;
    }

    // ---------------------------------------------------------------------------------------------- the dashboards

    private static JsonNode dashboard(String file) throws IOException {
        return JSON.readTree(DIR.resolve(file).toFile());
    }

    private static Map<String, GrafanaPromInterpolation.Variable> variables(JsonNode dashboard,
            Map<String, Object> selections) {
        Map<String, GrafanaPromInterpolation.Variable> variables = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            Object value;
            if (selections.containsKey(name)) {
                value = selections.get(name);
            } else if (v.path("type").asText().equals("textbox")) {
                value = v.path("query").asText();
            } else {
                List<String> values = new ArrayList<>();
                v.path("current").path("value").forEach(x -> values.add(x.asText()));
                value = values;
            }
            variables.put(name, new GrafanaPromInterpolation.Variable(name, v.path("multi").asBoolean(),
                    v.path("includeAll").asBoolean(), v.path("allValue").textValue(), value, List.of()));
        }
        return variables;
    }

    /** The saved range ("now-24h" to "now") ending at T, a panel ~1000 px wide, the datasource's 5m interval. */
    static GrafanaPromInterpolation.Timing timing(JsonNode dashboard, long end) {
        assertThat(dashboard.at("/time/from").asText()).isEqualTo("now-24h");
        return GrafanaPromInterpolation.Timing.of(end - RANGE, end, 1000, Duration.ofMinutes(5));
    }

    private static boolean live(String promql) {
        return promql.contains("prowctl_scrape_") || promql.contains("up{");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cases")
    void everyPanelQueryAnswersWhatTheRunsSay(String file, Selection selection) throws Exception {
        JsonNode dashboard = dashboard(file);
        Map<String, GrafanaPromInterpolation.Variable> variables = variables(dashboard, selection.values());
        int checked = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            for (JsonNode target : panel.path("targets")) {
                String ref = target.path("refId").asText();
                String expr = target.path("expr").asText();
                boolean live = live(expr);
                long end = live ? Instant.now().getEpochSecond() : T;
                GrafanaPromInterpolation.Timing timing = timing(dashboard, end);
                String promql = GrafanaPromInterpolation.query(expr, variables, timing);
                assertThat(promql).as("every variable substituted").doesNotContain("$");
                String where = file + " / " + selection + " / " + title + " / " + ref + ": " + promql;
                if (live) {
                    checkLive(title, instant(promql, end), where);
                } else if (target.path("instant").asBoolean()) {
                    Map<String, Double> expected = expectedInstant(title, ref, selection);
                    assertThat(expected).as("an expectation for " + where).isNotNull();
                    assertEqual(instant(promql, isRuleTable(title) ? ruleQueryTime() : T), expected, where);
                } else {
                    assertEqualSeries(range(promql, timing.alignedStart(), timing.alignedEnd(),
                            timing.step().toSeconds()), expectedRange(title, selection, timing), where);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    /**
     * The recording-rule table asked at other times than {@link #ruleQueryTime()}: every 37 s over a whole cycle of
     * the 7-day group (15 minutes) up to the end of the raw series' lookback, so at every phase of the query against
     * the 5-minute samples (the last-run gauge) and the rules' evaluations (the 1-day group's minute, the 7-day
     * group's quarter hour). Whichever offsets the groups get, a dashboard asked at any time must answer this.
     */
    @Test
    void theRuleTableAnswersWhatTheRunsSayWheneverItIsAsked() throws Exception {
        int checked = 0;
        for (long at = T - 900; at < T + STEP; at += 37) {
            for (Object[] c : cases()) {
                String file = (String) c[0];
                Selection selection = (Selection) c[1];
                JsonNode dashboard = dashboard(file);
                Map<String, GrafanaPromInterpolation.Variable> variables = variables(dashboard, selection.values());
                for (JsonNode panel : dashboard.path("panels")) {
                    String title = panel.path("title").asText();
                    if (!isRuleTable(title)) {
                        continue;
                    }
                    for (JsonNode target : panel.path("targets")) {
                        String promql = GrafanaPromInterpolation.query(target.path("expr").asText(), variables,
                                timing(dashboard, at));
                        String ref = target.path("refId").asText();
                        assertEqual(instant(promql, at), ruleTable(title, ref, selection, at),
                                file + " / " + selection + " / " + title + " / " + ref + " at T" + (at - T) + ": "
                                        + promql);
                        checked++;
                    }
                }
            }
        }
        // 33 times x 5 selections with the table x 5 columns
        assertThat(checked).isEqualTo(33 * 5 * 5);
    }

    /** The live exporter's health: reachable, a recent success, and only the malformed payloads as problems. */
    private static void checkLive(String title, Map<String, Double> answer, String where) {
        switch (title) {
            case "Exporter up" -> assertThat(answer).as(where).isEqualTo(Map.of("{}", 1.0));
            case "Last successful deck scrape" -> assertThat(answer.get("{}")).as(where).isNotNull()
                    .isBetween(0.0, 120.0);
            case "Exporter scrape problems by reason" -> {
                assertThat(answer.keySet()).as(where).containsExactlyInAnyOrder("{reason=artifacts}",
                        "{reason=deck_http}", "{reason=deck_unreachable}", "{reason=file_unreadable}",
                        "{reason=internal}", "{reason=payload}", "{reason=state_write}");
                answer.forEach((reason, value) -> {
                    if (reason.equals("{reason=payload}")) {
                        assertThat(value).as(where).isPositive();
                    } else {
                        assertThat(value).as(where + " " + reason).isZero();
                    }
                });
            }
            default -> throw new AssertionError("no expectation for live panel " + where);
        }
    }

    private static void assertEqual(Map<String, Double> actual, Map<String, Double> expected, String where) {
        assertThat(actual.keySet()).as(where + "\nactual " + actual + "\nexpected " + expected)
                .isEqualTo(expected.keySet());
        expected.forEach((group, value) -> {
            if (value.isNaN()) {
                assertThat(actual.get(group)).as(where + " " + group).isNaN();
            } else {
                assertThat(actual.get(group)).as(where + " " + group).isCloseTo(value, within(1e-9));
            }
        });
    }

    private static void assertEqualSeries(Map<String, Map<Long, Double>> actual,
            Map<String, Map<Long, Double>> expected, String where) {
        assertThat(actual.keySet()).as(where).isEqualTo(expected.keySet());
        expected.forEach((group, points) -> {
            assertThat(actual.get(group).keySet()).as(where + " " + group + " steps").isEqualTo(points.keySet());
            points.forEach((t, value) -> assertThat(actual.get(group).get(t)).as(where + " " + group + " at " + t)
                    .isCloseTo(value, within(1e-9)));
        });
    }

    /** label_values(selector, label) as Grafana runs it: /api/v1/label/LABEL/values with match[] and the range. */
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cases")
    void everyVariableQueryListsTheValuesOfTheSelectedRuns(String file, Selection selection) throws Exception {
        JsonNode dashboard = dashboard(file);
        Map<String, GrafanaPromInterpolation.Variable> variables = variables(dashboard, selection.values());
        GrafanaPromInterpolation.Timing timing = timing(dashboard, T);
        Pattern labelValues = Pattern.compile("label_values\\((.*), (\\w+)\\)");
        int checked = 0;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!v.path("type").asText().equals("query")) {
                continue;
            }
            String query = GrafanaPromInterpolation.query(v.path("query").path("query").asText(), variables, timing);
            var m = labelValues.matcher(query);
            assertThat(m.matches()).as(query).isTrue();
            JsonNode data = get("/api/v1/label/" + m.group(2) + "/values?match[]=" + enc(m.group(1)) + "&start="
                    + timing.fromSeconds() + "&end=" + timing.toSeconds());
            Set<String> actual = new TreeSet<>();
            data.forEach(x -> actual.add(x.asText()));
            // the variable's own selector, as runs: the values picked for the variables it names
            Predicate<Run> filter = variableFilter(file, v.path("name").asText(), selection);
            Set<String> expected = new TreeSet<>();
            RUNS.stream().filter(filter).map(r -> r.label(m.group(2))).filter(x -> !x.isEmpty())
                    .forEach(expected::add);
            assertThat(actual).as(file + " / " + selection + " / " + query).isEqualTo(expected).isNotEmpty();
            checked++;
        }
        assertThat(checked).isPositive();
    }

    /** Which runs a variable's query selects: the dashboard's fixed type, and the variables before it. */
    private static Predicate<Run> variableFilter(String file, String variable, Selection selection) {
        Predicate<Run> filter = r -> true;
        Object job = selection.values().get("job");
        if (job != null) {
            filter = filter.and(jobMatches((String) job));
        }
        if (file.equals("prow-pull-requests.json")) {
            filter = filter.and(PRS);
        }
        if (file.equals("prow-periodics.json")) {
            filter = filter.and(PERIODICS);
        }
        boolean afterRepo = variable.equals("type") && !file.equals("prow-pull-requests.json")
                || variable.equals("base_ref");
        Object repo = selection.values().get("repo");
        if (afterRepo && repo != null) {
            Set<String> repos = new HashSet<>(((List<?>) repo).stream().map(String::valueOf).toList());
            filter = filter.and(r -> repos.contains(r.repo()));
        }
        return filter;
    }

    @Test
    void theSelectionsNarrowTheAnswers() throws Exception {
        // guards the comparisons above: a narrowed selection does give another answer than everything
        assertThat(expectedInstant("Finished runs", "A", (Selection) cases().get(1)[1]))
                .isNotEqualTo(expectedInstant("Finished runs", "A", (Selection) cases().get(0)[1]));
        assertThat(streaks(jobs(RUNS))).containsEntry("{job_name=periodic-ci-openshift-oadp-operator-master-4.15-e2e-gcp}",
                3.0);
    }

    @Test
    void grafanaBuiltInsAreSubstitutedAsDocumented() {
        GrafanaPromInterpolation.Timing day = GrafanaPromInterpolation.Timing.of(T - RANGE, T, 1000,
                Duration.ofMinutes(5));
        // 86400 s / 1000 points = 86.4 s, rounded to 1m, below the datasource's 5m: the step is 5m
        assertThat(day.step()).isEqualTo(Duration.ofMinutes(5));
        assertThat(GrafanaPromInterpolation.backend("[$__interval] [$__range] [$__rate_interval] $__range_s", day))
                .isEqualTo("[5m] [86400s] [20m0s] 86400");
        GrafanaPromInterpolation.Timing week = GrafanaPromInterpolation.Timing.of(T - 7 * RANGE, T, 1000,
                Duration.ofMinutes(5));
        // 604.8 s rounds to 10m; $__rate_interval = max(10m + 5m, 4 x 5m)
        assertThat(GrafanaPromInterpolation.backend("$__interval ${__rate_interval}", week)).isEqualTo("10m 20m0s");
        GrafanaPromInterpolation.Timing month = GrafanaPromInterpolation.Timing.of(T - 30 * RANGE, T, 1000,
                Duration.ofMinutes(5));
        // 2592 s rounds to 30m
        assertThat(GrafanaPromInterpolation.backend("$__interval $__rate_interval", month)).isEqualTo("30m 35m0s");
        assertThat(GrafanaPromInterpolation.specialRegexEscape("oadp-1.4")).isEqualTo("oadp-1\\\\.4");
        assertThat(GrafanaPromInterpolation.regularEscape("a\\d'")).isEqualTo("a\\\\d\\\\'");
    }
}
