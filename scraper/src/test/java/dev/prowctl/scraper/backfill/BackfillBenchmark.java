package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.io.Writer;
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
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.scraper.flake.ArtifactsClassifier;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassifierSettings;
import dev.prowctl.scraper.flake.FakeArtifactsServer;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.output.JsonLines;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun.JobType;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The backfill benchmark ({@code bench/backfill/run.sh}), not a test: N days of M jobs (periodic, postsubmit,
 * presubmit, batch) in a {@link FakeArtifactsServer} that adds a fixed latency to every answer. Measures
 * <ol type="a">
 * <li>a sequential client doing the same listing (by build id, page by page) and reads ({@code prowjob.json}, for
 * a presubmit at the path its alias's metadata links to, or the alias first when it has none), one request at a
 * time;</li>
 * <li>{@link Backfill} without flake classification, at the given concurrency;</li>
 * <li>{@link Backfill} with the artifacts classifier (requests per run, and the classification's share);</li>
 * <li>a backfill killed half way (its sink fails) and run again with its checkpoints: requests repeated.</li>
 * </ol>
 */
public final class BackfillBenchmark {

    private static final JobFilter ALL = new JobFilter("*", null, null, null, null, null, null);

    public static void main(String[] args) throws Exception {
        int jobs = 50;
        int days = 30;
        int runsPerJob = 100;
        int failedEvery = 5;
        long latency = 20;
        int concurrency = BackfillSettings.DEFAULT_CONCURRENCY;
        ProwHistory.AliasUpload aliases = ProwHistory.AliasUpload.POD_UTILS;
        boolean sequential = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--runs-per-job" -> runsPerJob = Integer.parseInt(args[++i]);
                case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--no-sequential" -> sequential = false;
                case "--aliases-without-metadata" -> aliases = ProwHistory.AliasUpload.NO_METADATA;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        try (FakeArtifactsServer server = new FakeArtifactsServer()) {
            ProwHistory history = new ProwHistory(server);
            history.aliasUpload = aliases;
            Instant now = Instant.now();
            Instant since = now.minus(Duration.ofDays(days));
            Duration every = Duration.ofDays(days).dividedBy(runsPerJob);
            List<ObjectNode> all = new ArrayList<>();
            List<ObjectNode> deck = new ArrayList<>();
            JobType[] types = new JobType[jobs];
            for (int j = 0; j < jobs; j++) {
                // 40% periodic, 20% postsubmit, 30% presubmit, 10% batch
                int slot = j % 10;
                types[j] = slot < 4 ? JobType.PERIODIC : slot < 6 ? JobType.POSTSUBMIT : slot < 9 ? JobType.PRESUBMIT
                        : JobType.BATCH;
                String name = switch (types[j]) {
                    case PERIODIC -> "periodic-ci-openshift-job-" + j + "-e2e-aws";
                    case POSTSUBMIT -> "branch-ci-openshift-job-" + j + "-images";
                    case PRESUBMIT, BATCH -> "pull-ci-openshift-job-" + j + "-e2e-aws";
                };
                List<ObjectNode> runs = history.runs(name, types[j], since.plusSeconds(60 + j),
                        now.minusSeconds(3600), every, failedEvery);
                all.addAll(runs);
                deck.add(runs.get(runs.size() - 1));
            }
            long failed = all.stream().filter(pj -> pj.path("status").path("state").asText().equals("failure"))
                    .count();
            long presubmits = all.stream().filter(pj -> pj.path("spec").path("type").asText().equals("presubmit"))
                    .count();
            System.out.printf(Locale.ROOT, "%d jobs, %d runs over %d days (%d presubmit, %d failed), %d ms per"
                    + " request%n", jobs, all.size(), days, presubmits, failed, latency);
            BackfillHarness harness = new BackfillHarness(server);
            harness.concurrency = concurrency;
            harness.batchSize = BackfillSettings.DEFAULT_BATCH;
            List<BackfillJob> selected = harness.jobs(deck, ALL, now);
            server.latencyMillis = latency;

            server.resetCounts();
            long start = System.nanoTime();
            double sequentialSeconds = Double.NaN;
            if (sequential) {
                int sequentialRuns = sequential(server, selected, since, now);
                sequentialSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "(a) sequential client: %d runs read, %d requests, %.1f s%n",
                        sequentialRuns, server.requestCount(), sequentialSeconds);
            }

            server.resetCounts();
            start = System.nanoTime();
            BackfillResult plain = harness.backfill(ALL, Checkpoints.none(), BackfillListener.NONE)
                    .run(selected, since, now, discard());
            double plainSeconds = (System.nanoTime() - start) / 1e9;
            int plainRequests = server.requestCount();
            System.out.printf(Locale.ROOT, "(b) backfill --no-flakes --concurrency %d: %d runs emitted, %d requests"
                    + " (%.3f per run), %.2f s%s%n", concurrency, plain.emitted(), plainRequests,
                    (double) plainRequests / plain.emitted(), plainSeconds, sequential
                    ? String.format(Locale.ROOT, ": %.1fx faster", sequentialSeconds / plainSeconds) : "");

            server.resetCounts();
            harness.classifiers = () -> new ArtifactsClassifier(new OkHttpClient(), new ClassifierSettings(
                    server.apiUrl(), server.gcswebPrefix(), harness.concurrency, Duration.ofSeconds(240),
                    BackfillHarness.FAST_RETRIES), FlakeCache.inMemory(Clock.systemUTC()), ClassificationListener.NONE);
            start = System.nanoTime();
            Backfill withFlakes = harness.backfill(ALL, Checkpoints.none(), BackfillListener.NONE);
            BackfillResult classified = withFlakes.run(selected, since, now, discard());
            double flakeSeconds = (System.nanoTime() - start) / 1e9;
            int flakeRequests = server.requestCount();
            int gcsRequests = classified.requests();
            System.out.printf(Locale.ROOT, "(c) backfill with flake classification: %d runs emitted, %d requests:"
                    + " %d listing and reading (%.3f per run) + %d classifying %d failed runs (%.2f per failed run),"
                    + " %.2f s%n", classified.emitted(), flakeRequests, gcsRequests,
                    (double) gcsRequests / classified.emitted(), flakeRequests - gcsRequests, failed,
                    (double) (flakeRequests - gcsRequests) / failed, flakeSeconds);

            harness.classifiers = () -> RunClassifier.NONE;
            Path state = Files.createTempDirectory("prowctl-backfill-bench");
            int batches = (plain.listed() + harness.batchSize - 1) / harness.batchSize;
            server.resetCounts();
            try {
                harness.backfill(ALL, Checkpoints.open(state, "bench", w -> { }), BackfillListener.NONE)
                        .run(selected, since, now, BackfillHarness.failingOn(batches / 2 + 1, discard()));
                throw new IllegalStateException("the kill did not happen");
            } catch (IOException expected) {
                // killed half way
            }
            int beforeKill = server.requestCount();
            server.resetCounts();
            int[] resumed = {0};
            BackfillResult rest = harness.backfill(ALL, Checkpoints.open(state, "bench", w -> { }),
                    new BackfillListener() {
                        @Override
                        public void resumed(int runsAlreadyDone, int jobCount) {
                            resumed[0] = runsAlreadyDone;
                        }
                    }).run(selected, since, now, discard());
            int afterKill = server.requestCount();
            int repeated = beforeKill + afterKill - plainRequests;
            System.out.printf(Locale.ROOT, "(d) killed after %d of %d batches, run again: %d + %d requests, %d"
                    + " repeated (%.2f%% of %d), %d runs skipped as done, %d emitted%n", batches / 2, batches,
                    beforeKill, afterKill, repeated, 100.0 * repeated / plainRequests, plainRequests, resumed[0],
                    rest.emitted());
        }
        System.exit(0);
    }

    /** Encodes every run (as a print would) and throws the text away. */
    private static RunSink discard() {
        return new PrintSink(Writer.nullWriter(), new JsonLines());
    }

    /** The same listing and reads as a backfill, one request at a time. */
    private static int sequential(FakeArtifactsServer server, List<BackfillJob> jobs, Instant since, Instant until)
            throws IOException {
        OkHttpClient client = new OkHttpClient();
        ObjectMapper json = new ObjectMapper();
        int runs = 0;
        for (BackfillJob job : jobs) {
            for (Layout layout : job.layouts()) {
                String dir = layout.directory(job.name());
                String token = null;
                do {
                    HttpUrl.Builder url = server.apiUrl().newBuilder().addPathSegments("storage/v1/b")
                            .addPathSegment(job.bucket()).addPathSegment("o").addQueryParameter("prefix", dir)
                            .addQueryParameter("delimiter", "/")
                            .addQueryParameter("startOffset", dir + BuildIds.firstAt(since))
                            .addQueryParameter("endOffset", dir + BuildIds.firstAt(until));
                    if (token != null) {
                        url.addQueryParameter("pageToken", token);
                    }
                    JsonNode page = json.readTree(get(client, url.build()));
                    List<String> names = new ArrayList<>();
                    java.util.Map<String, String> links = new java.util.HashMap<>();
                    page.path("prefixes").forEach(p -> names.add(p.asText()));
                    page.path("items").forEach(i -> {
                        names.add(i.path("name").asText());
                        if (i.path("metadata").has("x-goog-meta-link")) {
                            links.put(i.path("name").asText(), i.path("metadata").path("x-goog-meta-link").asText());
                        }
                    });
                    for (String name : names) {
                        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : null;
                        if (name.endsWith(".txt") && !name.endsWith("latest-build.txt")) {
                            // the alias's link from the listing, else its content
                            String link = links.containsKey(name) ? links.get(name)
                                    : get(client, object(server, job.bucket(), name));
                            path = link.strip().substring(("gs://" + job.bucket() + "/").length());
                        }
                        if (path != null) {
                            get(client, object(server, job.bucket(), path + "/prowjob.json"));
                            runs++;
                        }
                    }
                    token = page.path("nextPageToken").asText(null);
                } while (token != null);
            }
        }
        return runs;
    }

    private static HttpUrl object(FakeArtifactsServer server, String bucket, String name) {
        return server.apiUrl().newBuilder().addPathSegments("storage/v1/b").addPathSegment(bucket)
                .addPathSegment("o").addPathSegment(name).addQueryParameter("alt", "media").build();
    }

    private static String get(OkHttpClient client, HttpUrl url) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("HTTP " + response.code() + " for " + url);
            }
            return response.body().string();
        }
    }

}
