package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;
import dev.prowctl.scraper.prow.ProwRun;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Classifies failed runs by their artifacts ({@link FlakeRules}): for each candidate not in the {@link FlakeCache},
 * lists the test step's directory and reads {@code artifacts/junit_operator.xml}, through the GCS JSON API or, when
 * the API refuses the bucket (401/403/404), through gcsweb. Lookups run on a bounded pool ({@code concurrency}
 * threads, synchronous OkHttp calls, so OkHttp's per-host limit of 5 async calls does not apply), each request with
 * its own timeout and retries, and all of them within one deadline, counted from when the classifier was built (build
 * one per scrape, before reading deck). A run whose lookup did not finish (network,
 * 5xx after retries, deadline) is left out of the result and not cached: the next scrape emits it once, with its
 * final state.
 */
public final class ArtifactsClassifier implements RunClassifier {

    static final String BUILD_LOG = "build-log.txt";
    static final String JUNIT = "artifacts/junit_operator.xml";
    /** How long to wait past the deadline for calls that are being cut by their own timeouts. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** How a run deferred by the deadline is described (and told apart from failed lookups). */
    private static final String DEADLINE = "deadline";

    private final ClassifierSettings settings;
    private final Deadline deadline;
    private final FlakeCache cache;
    private final ClassificationListener listener;
    private final ArtifactsHttp http;
    private final GcsApiClient gcsApi;
    private final GcswebClient gcsweb;
    /** Buckets the GCS API refused during this process: later runs go to gcsweb directly. */
    private final Set<String> refusedBuckets = ConcurrentHashMap.newKeySet();

    public ArtifactsClassifier(OkHttpClient client, ClassifierSettings settings, FlakeCache cache,
                               ClassificationListener listener) {
        this(client, settings, cache, listener, TimeSource.system(), Sleeper.system());
    }

    /**
     * On the given clock: the deadline is read from {@code time}, waits between retries go through {@code sleeper}
     * (tests move a fake clock instead of waiting).
     */
    public ArtifactsClassifier(OkHttpClient client, ClassifierSettings settings, FlakeCache cache,
                               ClassificationListener listener, TimeSource time, Sleeper sleeper) {
        this.settings = settings;
        this.cache = cache;
        this.listener = listener;
        this.http = new ArtifactsHttp(client, settings.retry(), settings.retry().retry(time, sleeper));
        this.gcsApi = new GcsApiClient(settings.gcsApiUrl(), http);
        this.gcsweb = new GcswebClient(http);
        // Counted from here, not from classify(): the scrape builds its classifier before it reads deck, so
        // reading a slow deck eats into the same budget and the whole scrape stays within --deadline plus the
        // encoding time (Telegraf kills an exec input at its timeout, losing all of its output).
        this.deadline = Deadline.after(settings.deadline(), time);
    }

    /** HTTP requests sent so far (retries included), for the summary and the benchmark. */
    public int requests() {
        return http.requests();
    }

    @Override
    public List<ProwRun> classify(List<ProwRun> finishedRuns) {
        long start = System.nanoTime();
        int requestsBefore = http.requests();
        ProwRun[] results = new ProwRun[finishedRuns.size()];
        List<Integer> toLookUp = new ArrayList<>();
        int candidates = 0;
        int flakes = 0;
        for (int i = 0; i < finishedRuns.size(); i++) {
            ProwRun run = finishedRuns.get(i);
            if (!FlakeRules.isCandidate(run)) {
                results[i] = run;
                continue;
            }
            candidates++;
            Optional<FlakeRules.Verdict> cached = cache.get(cacheKey(run));
            if (cached.isPresent()) {
                results[i] = run.classified(cached.get().flake(), cached.get().reason());
                flakes += cached.get().flake() ? 1 : 0;
            } else {
                toLookUp.add(i);
            }
        }
        int fromCache = candidates - toLookUp.size();
        Map<Integer, String> deferred = new HashMap<>();
        int lookedUp = 0;
        if (!toLookUp.isEmpty()) {
            Map<Integer, FlakeRules.Verdict> verdicts = lookUpAll(finishedRuns, toLookUp, deadline, deferred);
            for (Map.Entry<Integer, FlakeRules.Verdict> verdict : verdicts.entrySet()) {
                ProwRun run = finishedRuns.get(verdict.getKey());
                results[verdict.getKey()] = run.classified(verdict.getValue().flake(), verdict.getValue().reason());
                cache.put(cacheKey(run), verdict.getValue(), run.endTime());
                flakes += verdict.getValue().flake() ? 1 : 0;
            }
            lookedUp = verdicts.size();
            saveCache();
        }
        if (!deferred.isEmpty()) {
            listener.warning(describeDeferred(finishedRuns, deferred));
        }
        List<ProwRun> emitted = new ArrayList<>(finishedRuns.size());
        for (ProwRun run : results) {
            if (run != null) {
                emitted.add(run);
            }
        }
        listener.finished(new ClassificationSummary(finishedRuns.size(), candidates, fromCache, lookedUp, flakes,
                deferred.size(), http.requests() - requestsBefore, Duration.ofNanos(System.nanoTime() - start)));
        return emitted;
    }

    private Map<Integer, FlakeRules.Verdict> lookUpAll(List<ProwRun> runs, List<Integer> indexes, Deadline deadline,
                                                       Map<Integer, String> deferred) {
        int total = indexes.size();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.concurrency(), total),
                daemonThreads());
        Map<Integer, FlakeRules.Verdict> verdicts = new HashMap<>();
        Map<Future<FlakeRules.Verdict>, Integer> pending = new HashMap<>();
        try {
            CompletionService<FlakeRules.Verdict> done = new ExecutorCompletionService<>(pool);
            for (int index : indexes) {
                ProwRun run = runs.get(index);
                pending.put(done.submit(() -> lookUp(run, deadline)), index);
            }
            listener.progress(0, total);
            int finished = 0;
            while (!pending.isEmpty()) {
                Future<FlakeRules.Verdict> future =
                        done.poll(deadline.remaining().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
                if (future == null) {
                    break; // past the deadline and its grace: what is still running is deferred below
                }
                int index = pending.remove(future);
                try {
                    verdicts.put(index, future.get());
                } catch (ExecutionException e) {
                    deferred.put(index, e.getCause() instanceof LookupFailed.DeadlinePassed
                            ? DEADLINE + ": " + e.getCause().getMessage() : describe(e.getCause()));
                } catch (CancellationException e) {
                    deferred.put(index, "cancelled");
                }
                listener.progress(++finished, total);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        pending.forEach((future, index) -> {
            future.cancel(true);
            deferred.put(index, DEADLINE + ": not done " + GRACE.toSeconds() + " s after it");
        });
        return verdicts;
    }

    /** Classifies one candidate; throws {@link LookupFailed} when it cannot be decided this time. */
    FlakeRules.Verdict lookUp(ProwRun run, Deadline deadline) throws LookupFailed {
        String step = FlakeRules.testStepDir(run).orElseThrow();
        String stepDir = "artifacts/" + run.target() + "/" + step + "/";
        Optional<RunLocation> location = RunLocation.fromSpyglassUrl(run.logUrl());

        Boolean buildLog = null;
        boolean useApi = location.isPresent() && !refusedBuckets.contains(location.get().bucket());
        if (useApi) {
            try {
                RunLocation loc = location.get();
                buildLog = gcsApi.directoryHasFile(loc.bucket(), loc.objectPrefix(stepDir), BUILD_LOG, deadline);
            } catch (NotServed e) {
                refusedBuckets.add(location.get().bucket());
                useApi = false;
            }
        }
        Optional<String> junitXml;
        if (useApi) {
            try {
                RunLocation loc = location.get();
                junitXml = gcsApi.read(loc.bucket(), loc.path() + "/" + JUNIT, deadline);
            } catch (NotServed e) {
                refusedBuckets.add(location.get().bucket());
                return viaGcsweb(run, location, stepDir, step, buildLog, deadline);
            }
        } else {
            return viaGcsweb(run, location, stepDir, step, null, deadline);
        }
        return verdict(step, buildLog, junitXml);
    }

    private FlakeRules.Verdict viaGcsweb(ProwRun run, Optional<RunLocation> location, String stepDir, String step,
                                         Boolean buildLogFromApi, Deadline deadline) throws LookupFailed {
        Optional<HttpUrl> root = gcswebRoot(run, location, deadline);
        if (root.isEmpty()) {
            return new FlakeRules.Verdict(false, "no-artifacts-link");
        }
        try {
            boolean buildLog = buildLogFromApi != null ? buildLogFromApi
                    : gcsweb.directoryHasFile(resolve(root.get(), stepDir), BUILD_LOG, deadline);
            Optional<String> junitXml = gcsweb.read(resolve(root.get(), JUNIT), deadline);
            return verdict(step, buildLog, junitXml);
        } catch (NotServed e) {
            return new FlakeRules.Verdict(false, "artifacts-unavailable:http-" + e.code());
        }
    }

    /**
     * The run's directory on gcsweb: the configured prefix plus bucket and path, or, when the prefix is unknown or
     * the spyglass URL is not a {@code /view/gs/} one, the "Artifacts" link of the spyglass page.
     */
    private Optional<HttpUrl> gcswebRoot(ProwRun run, Optional<RunLocation> location, Deadline deadline)
            throws LookupFailed {
        if (settings.gcswebPrefix() != null && location.isPresent()) {
            return Optional.of(settings.gcswebPrefix().newBuilder()
                    .addPathSegment(location.get().bucket())
                    .addPathSegments(location.get().path())
                    .addPathSegment("")
                    .build());
        }
        HttpUrl page = run.logUrl() == null ? null : HttpUrl.parse(run.logUrl());
        if (page == null) {
            return Optional.empty();
        }
        ArtifactsHttp.Answer answer = http.get(page, deadline);
        if (answer.code() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new LookupFailed("the spyglass page " + page + " answered HTTP " + answer.code());
        }
        return SpyglassLinks.parse(answer.body(), page.toString()).artifactsLink().map(HttpUrl::parse)
                .map(url -> url.encodedPath().endsWith("/") ? url : url.newBuilder().addPathSegment("").build());
    }

    private static HttpUrl resolve(HttpUrl dir, String relative) {
        return dir.newBuilder().addPathSegments(relative).build();
    }

    private static FlakeRules.Verdict verdict(String step, boolean buildLog, Optional<String> junitXml) {
        Optional<JunitOperatorReport.FailedStep> failed = Optional.empty();
        boolean unreadable = false;
        if (junitXml.isPresent()) {
            try {
                failed = JunitOperatorReport.parse(junitXml.get()).failedStep();
            } catch (IllegalArgumentException e) {
                unreadable = true;
            }
        }
        return FlakeRules.decide(step, buildLog, failed, unreadable);
    }

    /** The cache key: bucket/path of the run, else its spyglass URL, else job and build id. */
    static String cacheKey(ProwRun run) {
        return RunLocation.fromSpyglassUrl(run.logUrl()).map(RunLocation::key)
                .orElse(run.logUrl() != null ? run.logUrl() : run.job() + "/" + run.id());
    }

    private void saveCache() {
        try {
            cache.save();
        } catch (IOException e) {
            listener.warning("flake cache not saved to " + cache.file() + " (" + e.getMessage()
                    + "): the next scrape looks these runs up again");
        }
    }

    private static String describe(Throwable failure) {
        return failure instanceof LookupFailed ? failure.getMessage() : failure.toString();
    }

    private static String describeDeferred(List<ProwRun> runs, Map<Integer, String> deferred) {
        long deadline = deferred.values().stream().filter(r -> r.startsWith(DEADLINE)).count();
        StringBuilder message = new StringBuilder()
                .append(deferred.size()).append(" failed run(s) not classified, left out until the next scrape (")
                .append(deadline).append(" by the deadline, ").append(deferred.size() - deadline)
                .append(" by failed lookups)");
        deferred.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(3).forEach(e -> message
                .append("; ").append(runs.get(e.getKey()).job()).append(" #").append(runs.get(e.getKey()).id())
                .append(": ").append(e.getValue()));
        if (deferred.size() > 3) {
            message.append("; ...");
        }
        return message.toString();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "prowctl-flakes-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
