package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The flake benchmark ({@code bench/flakes/run.sh}), not a test: a {@link FakeArtifactsServer} that adds a fixed
 * latency to every answer, serving a deck ({@code /prowjobs.js}, spyglass pages, {@code /prowjob?prowjob=} YAML),
 * the GCS JSON API and gcsweb for N matching runs of which a share failed. Measures requests and wall time for
 * <ol type="a">
 * <li>the original tool's pattern: per run one spyglass page and one YAML, per failed run one gcsweb listing, all
 * sequential (replayed in full, or on a sample and scaled up);</li>
 * <li>cold: one prowjobs.js fetch and parse, then {@link ArtifactsClassifier} with an empty cache;</li>
 * <li>warm: the same again with the cache the cold run left (a new classifier, as a new process would build).</li>
 * </ol>
 * The prowjobs.js fetch and its mapping to {@link ProwRun} are done here by the harness (the scrape command's
 * parser is not part of this module's flake package), so the figures are for the classification library.
 */
public final class FlakeBenchmark {
    private static final String BUCKET = "test-platform-results";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int runs = 2000;
        int failedPercent = 20;
        long latency = 50;
        int concurrency = 8;
        int sample = 0; // 0: replay the original pattern for every run
        String cli = null; // a prowctl launcher: measure (b) and (c) as real `prowctl scrape` processes
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--failed-percent" -> failedPercent = Integer.parseInt(args[++i]);
                case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--original-sample" -> sample = Integer.parseInt(args[++i]);
                case "--cli" -> cli = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path stateDir = Files.createTempDirectory("prowctl-flake-bench");
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
        try (FakeArtifactsServer server = new FakeArtifactsServer()) {
            List<String[]> generated = generate(server, runs, failedPercent);
            server.latencyMillis = latency;
            System.out.printf(Locale.ROOT, "%d runs (%d failed), %d ms latency per request, concurrency %d%n",
                    runs, generated.stream().filter(r -> r[3].equals("failure")).count(), latency, concurrency);
            System.out.println("| scenario | requests | wall time |");
            System.out.println("| --- | ---: | ---: |");

            // (a) the original: sequential spyglass page + YAML per run, listing per failed run
            server.resetCounts();
            List<String[]> replayed = sample > 0 && sample < generated.size() ? generated.subList(0, sample)
                    : generated;
            long start = System.nanoTime();
            for (String[] run : replayed) {
                get(http, HttpUrl.get(run[5]));
                get(http, server.url("/prowjob?prowjob=uuid-" + run[0]));
                if (run[3].equals("failure")) {
                    get(http, server.gcswebPrefix().newBuilder().addPathSegment(BUCKET).addPathSegments(run[4])
                            .addPathSegments("artifacts/" + run[2] + "/e2e/").build());
                }
            }
            double originalSeconds = seconds(start) * generated.size() / replayed.size();
            long originalRequests = (long) server.requestCount() * generated.size() / replayed.size();
            System.out.printf(Locale.ROOT, "| (a) original pattern, sequential%s | %d | %.1f s |%n",
                    replayed.size() < generated.size() ? " (replayed " + replayed.size() + " runs, scaled)" : "",
                    originalRequests, originalSeconds);

            // (b) cold and (c) warm
            double cold = 0;
            for (String label : List.of("(b) cold: prowjobs.js + classification", "(c) warm: same, second run")) {
                server.resetCounts();
                start = System.nanoTime();
                long emitted;
                long flakes;
                if (cli != null) {
                    String[] counted = scrapeWithCli(cli, server, stateDir, concurrency);
                    emitted = Long.parseLong(counted[0]);
                    flakes = Long.parseLong(counted[1]);
                } else {
                    List<ProwRun> out = classifyInProcess(http, server, stateDir, concurrency);
                    emitted = out.size();
                    flakes = out.stream().filter(r -> r.state().equals(ProwRun.FLAKE)).count();
                }
                double took = seconds(start);
                cold = cold == 0 ? took : cold;
                System.out.printf(Locale.ROOT, "| %s%s | %d | %.2f s |%n", label, cli != null ? " (prowctl scrape)" : "",
                        server.requestCount(), took);
                if (emitted != generated.size()) {
                    throw new IllegalStateException(generated.size() - emitted + " runs deferred");
                }
                System.err.printf(Locale.ROOT, "  %s: %d runs emitted, %d flakes%n", label, emitted, flakes);
            }
            System.out.printf(Locale.ROOT, "speed-up of (b) over (a): %.0fx%n", originalSeconds / cold);
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
            try (var files = Files.list(stateDir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(stateDir);
        }
    }

    /** (b)/(c) in this JVM: the harness's prowjobs.js fetch, then the classifier over a cache in {@code stateDir}. */
    private static List<ProwRun> classifyInProcess(OkHttpClient http, FakeArtifactsServer server, Path stateDir,
                                                   int concurrency) throws IOException {
        List<ProwRun> finished = fetchProwjobs(http, server.url("/prowjobs.js"));
        ArtifactsClassifier classifier = new ArtifactsClassifier(http, new ClassifierSettings(
                server.apiUrl(), server.gcswebPrefix(), concurrency, Duration.ofSeconds(240),
                RetryPolicy.DEFAULT), FlakeCache.open(stateDir, Clock.systemUTC(), System.err::println),
                ClassificationListener.NONE);
        return classifier.classify(finished);
    }

    /**
     * (b)/(c) as a user runs them: a {@code prowctl scrape} process against the fake deck, GCS API and gcsweb.
     *
     * @return the number of lines printed (runs emitted) and of flakes among them
     */
    private static String[] scrapeWithCli(String cli, FakeArtifactsServer server, Path stateDir, int concurrency)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(cli, "scrape", "--url", server.url("/").toString() + "?job=*",
                "--gcs-api-url", server.apiUrl().toString(), "--gcsweb-url", server.gcswebPrefix().toString(),
                "--state-dir", stateDir.toString(), "--concurrency", String.valueOf(concurrency), "-o", "influx")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long lines = 0;
        long flakes = 0;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines++;
                if (line.contains("state=\"flake\"")) {
                    flakes++;
                }
            }
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new IllegalStateException("prowctl scrape exited with " + code);
        }
        return new String[] {String.valueOf(lines), String.valueOf(flakes)};
    }

    /**
     * Puts N runs on the server (a fifth presubmits, a fifth rehearsals, the rest periodics... in rotation) with
     * their artifacts, spyglass pages, YAML and the prowjobs.js payload. Every {@code 100/failedPercent}-th run
     * failed; of the failures, half never ran the test (no build-log, some with a junit install failure), a
     * quarter failed in the test step with junit, a quarter without junit.
     *
     * @return per run: id, job, target, state, run path, spyglass URL
     */
    private static List<String[]> generate(FakeArtifactsServer server, int runs, int failedPercent) {
        String installFailed = Fixtures.resource("junit-install-failed.xml");
        String testFailed = Fixtures.resource("junit-test-failed.xml");
        List<String[]> result = new ArrayList<>();
        ArrayNode items = JSON.createArrayNode();
        Instant now = Instant.now().minus(Duration.ofHours(1));
        int every = Math.max(1, 100 / Math.max(1, failedPercent));
        int failures = 0;
        for (int i = 0; i < runs; i++) {
            String id = String.valueOf(1_700_000_000_000_000_000L + i);
            String cloud = List.of("aws", "gcp", "azure").get(i % 3);
            String target = "operator-e2e-" + cloud;
            String type;
            String job;
            String path;
            switch (i % 5) {
                case 0, 1 -> {
                    type = "presubmit";
                    job = "pull-ci-openshift-oadp-operator-master-4.1" + (i % 4) + "-" + target;
                    path = "pr-logs/pull/openshift_oadp-operator/" + (800 + i % 50) + "/" + job + "/" + id;
                }
                case 2 -> {
                    type = "presubmit";
                    job = "rehearse-27052-pull-ci-openshift-oadp-operator-master-" + target;
                    path = "pr-logs/pull/openshift_release/27052/" + job + "/" + id;
                }
                default -> {
                    type = "periodic";
                    target = target + "-periodic-slack";
                    job = "periodic-ci-openshift-oadp-operator-master-4.1" + (i % 4) + "-" + target;
                    path = "logs/" + job + "/" + id;
                }
            }
            boolean failed = i % every == 0;
            String state = failed ? "failure" : "success";
            String spyglass = server.spyglassUrl(BUCKET, path);
            server.put(BUCKET, path + "/build-log.txt", "log");
            server.put(BUCKET, path + "/finished.json", "{\"passed\":" + !failed + "}");
            String stepDir = path + "/artifacts/" + target + "/e2e/";
            server.put(BUCKET, stepDir + "finished.json", "{}");
            if (failed) {
                switch (failures++ % 4) {
                    case 0 -> server.put(BUCKET, path + "/artifacts/junit_operator.xml", installFailed);
                    case 1 -> { }
                    case 2 -> {
                        server.put(BUCKET, stepDir + "build-log.txt", "test output");
                        server.put(BUCKET, path + "/artifacts/junit_operator.xml", testFailed);
                    }
                    default -> server.put(BUCKET, stepDir + "build-log.txt", "test output");
                }
            } else {
                server.put(BUCKET, stepDir + "build-log.txt", "test output");
            }
            server.spyglassPage(BUCKET, path, Fixtures.resource("spyglass-full.html"));
            server.page("/prowjob?prowjob=uuid-" + id, "text/plain", "apiVersion: prow.k8s.io/v1\nkind: ProwJob\n"
                    + "metadata:\n  name: uuid-" + id + "\nspec:\n  job: " + job + "\n  type: " + type
                    + "\nstatus:\n  state: " + state + "\n");
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", "uuid-" + id);
            ObjectNode spec = item.putObject("spec");
            spec.put("type", type).put("job", job);
            spec.putObject("pod_spec").putArray("containers").addObject().putArray("args")
                    .add("--target=" + target);
            ObjectNode status = item.putObject("status");
            status.put("startTime", now.minusSeconds(5400L + i).toString())
                    .put("completionTime", now.minusSeconds(i).toString())
                    .put("state", state).put("url", spyglass).put("build_id", id);
            result.add(new String[] {id, job, target, state, path, spyglass});
        }
        server.prowjobs = JSON.createObjectNode().set("items", items).toString();
        return result;
    }

    /** The harness's stand-in for the scrape's deck reader: one GET, then a minimal mapping to ProwRun. */
    private static List<ProwRun> fetchProwjobs(OkHttpClient http, HttpUrl url) throws IOException {
        JsonNode root = JSON.readTree(get(http, url));
        List<ProwRun> runs = new ArrayList<>();
        for (JsonNode item : root.path("items")) {
            JsonNode spec = item.path("spec");
            JsonNode status = item.path("status");
            String target = spec.path("pod_spec").path("containers").path(0).path("args").path(0).asText()
                    .replace("--target=", "");
            String job = spec.path("job").asText();
            runs.add(ProwRuns.periodic(status.path("build_id").asText(), job)
                    .prowjobName(item.path("metadata").path("name").asText())
                    .type(ProwRun.JobType.fromProw(spec.path("type").asText())).rehearsal(job.startsWith("rehearse-"))
                    .state(status.path("state").asText())
                    .between(Instant.parse(status.path("startTime").asText()),
                            Instant.parse(status.path("completionTime").asText()))
                    .refs("openshift", "oadp-operator", "master").target(target).logUrl(status.path("url").asText())
                    .build());
        }
        return runs;
    }

    private static String get(OkHttpClient http, HttpUrl url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("HTTP " + response.code() + " for " + url);
            }
            return response.body().string();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
