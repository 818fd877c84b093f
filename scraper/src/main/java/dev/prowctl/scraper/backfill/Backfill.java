package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.ProgressListener;
import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;
import dev.prowctl.scraper.flake.ArtifactsHttp;
import dev.prowctl.scraper.flake.GcsApiClient;
import dev.prowctl.scraper.flake.GcswebClient;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeResult;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJob;
import dev.prowctl.scraper.prow.ProwJobReader;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.RunDeriver;
import okhttp3.OkHttpClient;

/**
 * Backfills finished runs from GCS: lists each job's runs in the window ({@link RunLister}, jobs in parallel), then,
 * batch by batch, reads their records ({@link RunReader}, {@code concurrency} at once, the next batch's first
 * {@code concurrency} reads overlapping the batch's end) and feeds them through a
 * {@link ScrapePipeline} (the scrape's filter, {@link RunDeriver}, classifier and the given sink), so each run
 * becomes exactly the record a scrape makes of it. After each batch reached the sink, its runs are checkpointed
 * ({@link Checkpoints}): a killed backfill, run again, reads at most that one batch (and the reads ahead of it)
 * again.
 *
 * <p>Memory is bounded by the runs listed (a build id and a path each) and one batch of records plus the reads
 * ahead. A job or run that
 * fails is reported through the listener and counted as left out; the others go on. A failing sink (InfluxDB gone)
 * stops the backfill with its exception, after the batches before it were checkpointed.
 */
public final class Backfill {

    /** The flake reason prefix of a failure whose verdict could not be told ({@code undecided:<why>}). */
    private static final String UNDECIDED = "undecided:";

    private final BackfillSettings settings;
    private final JobFilter filter;
    private final RunDeriver deriver;
    private final Supplier<RunClassifier> classifiers;
    private final Checkpoints checkpoints;
    private final BackfillListener listener;
    private final TimeSource time;
    private final ArtifactsHttp http;
    private final Bucket bucket;
    private final DeckUrl deck;

    /**
     * @param classifiers a classifier per batch (each with its own deadline); {@code () -> RunClassifier.NONE}
     *                    without flake classification
     */
    public Backfill(OkHttpClient client, BackfillSettings settings, DeckUrl deck, JobFilter filter, RunDeriver deriver,
                    Supplier<RunClassifier> classifiers, Checkpoints checkpoints, BackfillListener listener,
                    TimeSource time, Sleeper sleeper) {
        this.settings = settings;
        this.deck = deck;
        this.filter = filter;
        this.deriver = deriver;
        this.classifiers = classifiers;
        this.checkpoints = checkpoints;
        this.listener = listener;
        this.time = time;
        this.http = ArtifactsHttp.create(client, settings.retry(), time, sleeper);
        this.bucket = new Bucket(new GcsApiClient(settings.gcsApiUrl(), http), new GcswebClient(http),
                settings.gcswebPrefix());
    }

    /** HTTP requests to GCS and gcsweb so far (retries included). */
    public int requests() {
        return http.requests();
    }

    /**
     * Backfills the runs of {@code jobs} made in [{@code since}, {@code until}) into {@code sink}.
     *
     * @throws IOException what the sink threw (the batches before were emitted and checkpointed)
     */
    public BackfillResult run(List<BackfillJob> jobs, Instant since, Instant until, RunSink sink) throws IOException {
        return run(jobs, since, until, sink, Deadline.NONE);
    }

    /**
     * Like {@link #run(List, Instant, Instant, RunSink)}, but starts no batch once {@code stopBy} passed: the runs
     * not read then are counted in {@link BackfillResult#notReached} and left for a later backfill (the batch in
     * flight at the deadline is finished, so a backfill overruns it by at most one batch).
     */
    public BackfillResult run(List<BackfillJob> jobs, Instant since, Instant until, RunSink sink, Deadline stopBy)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), daemonThreads());
        try {
            return new Run(pool, since, until, stopBy).run(jobs, sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("backfill interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The state of one {@link #run}. */
    private final class Run {
        private final ExecutorService pool;
        private final Instant since;
        private final Instant until;
        private final Deadline stopBy;
        private final JobFilter.Matcher matcher = filter.matcher();
        private final Set<String> listedByStartTime = new HashSet<>();
        private int jobsListed;
        private int listed;
        private int skippedDone;
        private int read;
        private int fallbacks;
        private int unfinished;
        private int emitted;
        private int written;
        private int filteredOut;
        private int unusable;
        private int leftOut;
        private int deferred;
        private int notReached;

        Run(ExecutorService pool, Instant since, Instant until, Deadline stopBy) {
            this.pool = pool;
            this.since = since;
            this.until = until;
            this.stopBy = stopBy;
        }

        BackfillResult run(List<BackfillJob> jobs, RunSink sink) throws IOException, InterruptedException {
            int requestsBefore = http.requests();
            List<RunRef> refs = list(jobs);
            if (skippedDone > 0) {
                listener.resumed(skippedDone, jobs.size());
            }
            RunReader reader = new RunReader(bucket, deck, Deadline.NONE);
            java.util.ArrayDeque<Future<RunReader.Outcome>> reads = new java.util.ArrayDeque<>();
            int submitted = 0;
            try {
                for (int from = 0; from < refs.size(); from += settings.batchSize()) {
                    if (stopBy.passed()) {
                        notReached = refs.size() - from;
                        break;
                    }
                    int to = Math.min(refs.size(), from + settings.batchSize());
                    // the pool gets this batch and the first reads of the next: its threads read on while the
                    // batch waits for its slowest reads and goes through the pipeline, instead of idling
                    while (submitted < Math.min(refs.size(), to + settings.concurrency())) {
                        RunRef ref = refs.get(submitted++);
                        reads.add(pool.submit(() -> reader.read(ref)));
                    }
                    List<RunReader.Outcome> outcomes = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        outcomes.add(result(reads.remove()));
                        read++;
                        listener.progress(jobsListed, jobsListed, listed, read);
                    }
                    batch(outcomes, sink);
                }
            } finally {
                reads.forEach(f -> f.cancel(true)); // reads ahead of a failed or late batch are not used
            }
            return new BackfillResult(jobs.size(), listed, skippedDone, read, fallbacks, unfinished, emitted,
                    written, filteredOut, unusable, leftOut, deferred, notReached, http.requests() - requestsBefore);
        }

        private List<RunRef> list(List<BackfillJob> jobs) throws InterruptedException {
            RunLister lister = new RunLister(bucket, Deadline.NONE);
            Instant now = time.now();
            List<Callable<RunLister.Listed>> tasks = new ArrayList<>();
            for (BackfillJob job : jobs) {
                Set<String> done = checkpoints.done(job.name());
                for (Layout layout : job.layouts()) {
                    tasks.add(() -> lister.list(job, layout, since, until, done, now));
                }
            }
            List<RunLister.Listed> results = all(tasks, () -> {
                jobsListed++;
                listener.progress(jobsListed, tasks.size(), listed, read);
            }, r -> listed += r.runs().size());
            List<RunRef> refs = new ArrayList<>();
            for (RunLister.Listed result : results) {
                skippedDone += result.alreadyDone();
                if (result.problem() != null) {
                    leftOut++;
                    listener.leftOut(result.problem());
                }
                if (!result.byBuildId()) {
                    result.runs().forEach(ref -> listedByStartTime.add(key(ref)));
                }
                refs.addAll(result.runs());
            }
            refs.sort(Comparator.comparing((RunRef r) -> r.job().name()).thenComparing(RunRef::layout)
                    .thenComparing(RunRef::buildId, BuildIds::compare));
            return refs;
        }

        /** Feeds one batch's read runs through the pipeline into {@code sink}, then checkpoints them. */
        private void batch(List<RunReader.Outcome> outcomes, RunSink sink) throws IOException {
            Map<String, Set<String>> done = new LinkedHashMap<>();
            Map<String, RunRef> expected = new HashMap<>();
            List<ProwJob> feed = new ArrayList<>();
            for (RunReader.Outcome outcome : outcomes) {
                if (outcome instanceof RunReader.Failed failed) {
                    leftOut++;
                    listener.leftOut(failed.why());
                } else if (outcome instanceof RunReader.Unfinished) {
                    unfinished++;
                } else if (outcome instanceof RunReader.Read r) {
                    accept(r, done, expected, feed);
                }
            }
            if (!feed.isEmpty()) {
                Set<String> emittedNow = new HashSet<>();
                RunSink tracking = (runs, progress) -> {
                    // a failure emitted as undecided (lookups failed) is not checkpointed: the next backfill looks
                    // it up again, and its verdict replaces the point
                    runs.stream().filter(run -> run.flakeReason() == null || !run.flakeReason().startsWith(UNDECIDED))
                            .forEach(run -> emittedNow.add(run.job() + "\n" + run.id()));
                    return sink.accept(runs, progress);
                };
                ScrapeResult result = new ScrapePipeline(filter, deriver, classifiers.get(), ScrapeListener.NONE)
                        .run(source(feed), tracking);
                emitted += result.emitted();
                written += result.delivered().written();
                List<RunSink.Rejection> rejected = result.delivered().rejected();
                if (!rejected.isEmpty()) {
                    // a rejection names a line, not a run: none of this batch is checkpointed, all is sent again
                    leftOut += rejected.size();
                    rejected.forEach(r -> listener.leftOut("rejected by the destination (" + r.reason() + "): "
                            + (r.item() == null ? "(a line it did not name)" : abbreviate(r.item()))));
                    emittedNow.clear();
                }
                for (Map.Entry<String, RunRef> entry : expected.entrySet()) {
                    if (emittedNow.contains(entry.getKey())) {
                        RunRef ref = entry.getValue();
                        done.computeIfAbsent(ref.job().name(), j -> new HashSet<>()).add(ref.buildId());
                    } else if (rejected.isEmpty()) {
                        deferred++;
                    }
                }
            }
            done.forEach(checkpoints::markDone);
        }

        /** Sorts one read run: fed to the pipeline, and whether it is done for good whatever the pipeline does. */
        private void accept(RunReader.Read r, Map<String, Set<String>> done, Map<String, RunRef> expected,
                            List<ProwJob> feed) {
            RunRef ref = r.ref();
            ProwJob pj = r.prowJob();
            if (r.fallback() != null) {
                fallbacks++;
                listener.warning("job " + ref.job().name() + " run " + ref.buildId() + ": " + r.fallback()
                        + "; rebuilt from started.json and finished.json, with fewer fields");
            }
            if (listedByStartTime.contains(key(ref)) && !inWindow(pj)) {
                filteredOut++;
                return;
            }
            Set<String> jobDone = done.computeIfAbsent(ref.job().name(), j -> new HashSet<>());
            if (!matcher.matches(pj)) {
                filteredOut++;
                jobDone.add(ref.buildId());
                return;
            }
            if (!RunDeriver.isFinished(pj)) {
                unfinished++;
                return;
            }
            if (RunDeriver.isOverride(pj)) {
                filteredOut++;
                jobDone.add(ref.buildId());
                return;
            }
            try {
                deriver.derive(pj);
            } catch (IllegalArgumentException e) {
                unusable++;
                jobDone.add(ref.buildId());
                listener.warning("job " + ref.job().name() + " run " + ref.buildId() + " skipped: " + e.getMessage());
                return;
            }
            feed.add(pj);
            expected.put(pj.job() + "\n" + pj.buildId(), ref);
        }

        /** For runs not listed by build id: whether the run started within the window. */
        private boolean inWindow(ProwJob pj) {
            if (pj.startTime() == null) {
                return true; // unusable anyway; the pipeline counts it
            }
            try {
                Instant start = Instant.parse(pj.startTime());
                return !start.isBefore(since) && start.isBefore(until);
            } catch (DateTimeParseException e) {
                return true;
            }
        }

        /** The result of a task that catches what it expects; anything else it threw is a bug, thrown here. */
        private <T> T result(Future<T> future) throws InterruptedException {
            try {
                return future.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            }
        }

        /** Runs {@code tasks} on the pool; {@code onDone} after each (on this thread); results in task order. */
        private <T> List<T> all(List<Callable<T>> tasks, Runnable onDone, java.util.function.Consumer<T> onResult)
                throws InterruptedException {
            CompletionService<T> completion = new ExecutorCompletionService<>(pool);
            Map<Future<T>, Integer> index = new HashMap<>();
            for (int i = 0; i < tasks.size(); i++) {
                index.put(completion.submit(tasks.get(i)), i);
            }
            List<T> results = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), null));
            for (int i = 0; i < tasks.size(); i++) {
                Future<T> future = completion.take();
                try {
                    T result = future.get();
                    results.set(index.get(future), result);
                    onResult.accept(result);
                } catch (ExecutionException e) {
                    // the tasks catch what they expect; anything else is a bug
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e.getCause());
                }
                onDone.run();
            }
            return results;
        }
    }

    private static String key(RunRef ref) {
        return ref.job().name() + "\n" + ref.layout() + "\n" + ref.buildId();
    }

    /** The batch's ProwJobs as a source for the pipeline. */
    private static ProwJobSource source(List<ProwJob> feed) {
        return (sink, progress) -> {
            feed.forEach(sink);
            return new ProwJobReader.Summary(feed.size(), 0, null);
        };
    }

    private static String abbreviate(String line) {
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "prowctl-backfill-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
