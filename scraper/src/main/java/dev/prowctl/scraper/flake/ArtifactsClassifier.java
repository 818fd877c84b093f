package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
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
import okhttp3.OkHttpClient;

/**
 * Classifies failed runs by their artifacts ({@link FlakeRules}): for each candidate not in the {@link FlakeCache},
 * lists the test step's directory and reads {@code artifacts/junit_operator.xml}, through the GCS JSON API or, when
 * the API refuses the bucket (401/403/404), through gcsweb. Lookups run on a bounded pool ({@code concurrency}
 * threads, synchronous OkHttp calls, so OkHttp's per-host limit of 5 async calls does not apply), each request with
 * its own timeout and retries, and all of them within one deadline, counted from when the classifier was built (build
 * one per scrape, before reading deck). How one run is looked up is {@link RunLookup}'s; a run it cannot tell
 * (network, 5xx after retries, deadline, no artifacts) is never cached, and is left out or emitted as an undecided
 * failure as {@link Deferrals} says.
 */
public final class ArtifactsClassifier implements RunClassifier {

    /** How long to wait past the deadline for calls that are being cut by their own timeouts. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final ClassifierSettings settings;
    private final Deadline deadline;
    private final FlakeCache cache;
    private final ClassificationListener listener;
    private final TimeSource time;
    private final ArtifactsHttp http;
    private final RunLookup lookup;
    private final Deferrals deferrals;

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
        this.time = time;
        this.http = new ArtifactsHttp(client, settings.retry(), settings.retry().retry(time, sleeper));
        this.lookup = new RunLookup(settings, http);
        this.deferrals = new Deferrals(settings, cache);
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
        Map<Integer, LookupFailed> undecided = new HashMap<>();
        int lookedUp = 0;
        Deferrals.Outcome outcome = new Deferrals.Outcome(Map.of(), 0, null);
        if (!toLookUp.isEmpty()) {
            Map<Integer, FlakeRules.Verdict> verdicts = lookUpAll(finishedRuns, toLookUp, deadline, undecided);
            for (Map.Entry<Integer, FlakeRules.Verdict> verdict : verdicts.entrySet()) {
                ProwRun run = finishedRuns.get(verdict.getKey());
                results[verdict.getKey()] = run.classified(verdict.getValue().flake(), verdict.getValue().reason());
                cache.put(cacheKey(run), verdict.getValue(), run.endTime());
                flakes += verdict.getValue().flake() ? 1 : 0;
            }
            lookedUp = verdicts.size();
            Instant now = time.now();
            outcome = deferrals.decide(finishedRuns, undecided, !verdicts.isEmpty(), now, true);
            if (!saveCache() && outcome.deferred() > 0) {
                // when they were first deferred is not kept: leaving them out could hide them for good
                outcome = deferrals.decide(finishedRuns, undecided, !verdicts.isEmpty(), now, false);
            }
            outcome.emitted().forEach((index, run) -> results[index] = run);
        }
        if (outcome.warning() != null) {
            listener.warning(outcome.warning());
        }
        List<ProwRun> emitted = new ArrayList<>(finishedRuns.size());
        for (ProwRun run : results) {
            if (run != null) {
                emitted.add(run);
            }
        }
        listener.finished(new ClassificationSummary(finishedRuns.size(), candidates, fromCache, lookedUp, flakes,
                outcome.deferred(), http.requests() - requestsBefore, Duration.ofNanos(System.nanoTime() - start),
                outcome.emitted().size()));
        return emitted;
    }

    private Map<Integer, FlakeRules.Verdict> lookUpAll(List<ProwRun> runs, List<Integer> indexes, Deadline deadline,
                                                       Map<Integer, LookupFailed> undecided) {
        int total = indexes.size();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.concurrency(), total),
                daemonThreads());
        Map<Integer, FlakeRules.Verdict> verdicts = new HashMap<>();
        Map<Future<FlakeRules.Verdict>, Integer> pending = new HashMap<>();
        try {
            CompletionService<FlakeRules.Verdict> done = new ExecutorCompletionService<>(pool);
            for (int index : indexes) {
                ProwRun run = runs.get(index);
                pending.put(done.submit(() -> lookup.lookUp(run, deadline)), index);
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
                    undecided.put(index, e.getCause() instanceof LookupFailed failed ? failed
                            : new LookupFailed("error", false, e.getCause().toString(), e.getCause()));
                } catch (CancellationException e) {
                    undecided.put(index, new LookupFailed.DeadlinePassed("cancelled"));
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
            undecided.put(index, new LookupFailed.DeadlinePassed("not done " + GRACE.toSeconds()
                    + " s after the deadline"));
        });
        return verdicts;
    }

    /** The cache key: bucket/path of the run, else its spyglass URL, else job and build id. */
    static String cacheKey(ProwRun run) {
        return RunLocation.fromSpyglassUrl(run.logUrl()).map(RunLocation::key)
                .orElse(run.logUrl() != null ? run.logUrl() : run.job() + "/" + run.id());
    }

    /** Saves the cache; false (after a warning) when it could not be written. */
    private boolean saveCache() {
        try {
            cache.save();
            return cache.file() != null;
        } catch (IOException e) {
            listener.warning("flake cache not saved to " + cache.file() + " (" + e.getMessage()
                    + "): the next scrape looks these runs up again");
            return false;
        }
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
