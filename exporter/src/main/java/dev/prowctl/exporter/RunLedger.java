package dev.prowctl.exporter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.prowctl.scraper.output.OpenMetrics;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * The exporter's counts: each finished run is counted once, ever, into the per-job series. Runs come back in every
 * scrape while deck still lists them, so the ids of counted runs are remembered; an id is forgotten only when deck no
 * longer lists the run and it ended more than {@link #RETENTION} ago, which bounds the memory by deck's window. All
 * methods are synchronized: the scrape thread writes, the HTTP threads read.
 *
 * <p>A series must be seen at 0 before its first increment, or {@code rate()} and {@code increase()} miss that
 * first run (Prometheus 2.x ignores OpenMetrics' {@code _created}). So a job's label set is introduced with all its
 * series at 0 ({@link #STATES} and the histogram), and the runs that introduced it are held back until the next
 * scrape. The exporter's very first scrape is the exception: deck's window is then the baseline, as any counter's
 * value at the start of its process.
 */
public final class RunLedger {

    /** How long a counted run that deck no longer lists is still remembered (deck's window is about 24 h). */
    public static final Duration RETENTION = Duration.ofHours(48);

    /**
     * Upper bounds of {@code prowctl_job_run_duration_seconds}, 30 s to 10 h (+Inf is added by the exposition): the
     * same list as {@code scrape -o openmetrics} writes, so history and live metrics agree.
     */
    public static final double[] DURATION_BUCKETS = OpenMetrics.durationBuckets();

    /** The states whose series every job label set has from the start, at 0 (others appear when seen). */
    public static final List<String> STATES = List.of("success", "failure", ProwRun.FLAKE, "aborted", "error");

    private final Map<String, Long> counted = new HashMap<>();
    /** Runs of label sets introduced by the last scrape, counted by the next one. */
    private final List<ProwRun> held = new ArrayList<>();
    private final Map<JobLabels, Map<String, Long>> runs = new LinkedHashMap<>();
    private final Map<JobLabels, Histogram> durations = new LinkedHashMap<>();
    private final Map<String, Long> lastRun = new TreeMap<>();
    private final Map<String, FailureStreak> streaks = new TreeMap<>();
    private long lastSuccessMillis;

    /** A job's duration histogram: per-bucket (not cumulative) counts, the last one for +Inf. */
    static final class Histogram {
        final long[] bucketCounts;
        double sum;
        long count;

        Histogram(long[] bucketCounts, double sum, long count) {
            this.bucketCounts = bucketCounts;
            this.sum = sum;
            this.count = count;
        }
    }

    /**
     * Counts the runs not counted before and forgets the old ones deck no longer lists.
     *
     * @param finished every run the scrape emitted (already counted ones included)
     * @param now      the scrape's time, for forgetting
     * @return how many runs were new
     */
    public synchronized int count(List<ProwRun> finished, Instant now) {
        boolean baseline = lastSuccessMillis == 0 && runs.isEmpty();
        // the runs held by the previous scrape first: their series were exposed at 0 since, so they count now
        Map<String, ProwRun> candidates = new LinkedHashMap<>();
        held.forEach(run -> candidates.putIfAbsent(key(run), run));
        held.clear();
        finished.forEach(run -> candidates.putIfAbsent(key(run), run));
        Set<JobLabels> introduced = new HashSet<>();
        List<ProwRun> fresh = new ArrayList<>();
        for (Map.Entry<String, ProwRun> candidate : candidates.entrySet()) {
            ProwRun run = candidate.getValue();
            if (counted.containsKey(candidate.getKey())) {
                continue;
            }
            JobLabels labels = JobLabels.of(run);
            if (!baseline && (!runs.containsKey(labels) || introduced.contains(labels))) {
                introduce(labels);
                introduced.add(labels);
                held.add(run);
                continue;
            }
            counted.put(candidate.getKey(), run.endTime().toEpochMilli());
            fresh.add(run);
        }
        // oldest first, so that the streak sees runs in the order they ended
        fresh.sort((a, b) -> a.endTime().compareTo(b.endTime()));
        fresh.forEach(this::add);
        long forgetBefore = now.minus(RETENTION).toEpochMilli();
        counted.entrySet().removeIf(e -> e.getValue() < forgetBefore && !candidates.containsKey(e.getKey()));
        return fresh.size();
    }

    /** A label set's series, all at 0: every state of {@link #STATES} and an empty histogram. */
    private void introduce(JobLabels labels) {
        Map<String, Long> byState = runs.computeIfAbsent(labels, l -> new TreeMap<>());
        STATES.forEach(state -> byState.putIfAbsent(state, 0L));
        durations.computeIfAbsent(labels, l -> new Histogram(new long[DURATION_BUCKETS.length + 1], 0, 0));
    }

    /** Runs held back because their label set was new in the last scrape (counted by the next one). */
    public synchronized int held() {
        return held.size();
    }

    private void add(ProwRun run) {
        JobLabels labels = JobLabels.of(run);
        introduce(labels);
        runs.get(labels).merge(run.state(), 1L, Long::sum);
        long end = run.endTime().toEpochMilli();
        lastRun.merge(run.job(), end, Math::max);
        FailureStreak streak = streaks.computeIfAbsent(run.job(), j -> new FailureStreak());
        switch (run.state()) {
            case "success" -> streak.success(end);
            case "failure", "error" -> streak.failure(end);
            default -> { } // flake, aborted: neither count nor reset
        }
        if (!"aborted".equals(run.state())) {
            double seconds = Math.max(0, Duration.between(run.startTime(), run.endTime()).toMillis()) / 1000.0;
            Histogram histogram = durations.get(labels);
            histogram.bucketCounts[bucket(seconds)]++;
            histogram.sum += seconds;
            histogram.count++;
        }
    }

    private static int bucket(double seconds) {
        for (int i = 0; i < DURATION_BUCKETS.length; i++) {
            if (seconds <= DURATION_BUCKETS[i]) {
                return i;
            }
        }
        return DURATION_BUCKETS.length;
    }

    /** A run's identity: its ProwJob name (a UUID), else job and build id. */
    static String key(ProwRun run) {
        return run.prowjobName() != null ? run.prowjobName() : run.job() + "#" + run.id();
    }

    public synchronized void scrapeSucceeded(Instant at) {
        lastSuccessMillis = at.toEpochMilli();
    }

    /** End of the last successful scrape, across restarts; null before the first. */
    public synchronized Instant lastSuccess() {
        return lastSuccessMillis == 0 ? null : Instant.ofEpochMilli(lastSuccessMillis);
    }

    /** Run ids remembered (the bounded part of the state). */
    public synchronized int remembered() {
        return counted.size();
    }

    /** Everything, for {@link LedgerFile}: a copy taken under the lock. */
    public LedgerState snapshot() {
        return snapshot(true);
    }

    /**
     * A copy taken under the lock; without the remembered ids ({@code counted} empty) for {@link ExporterMetrics},
     * which needs only their number ({@link #remembered}) and runs at every {@code /metrics} request.
     */
    public synchronized LedgerState snapshot(boolean withCounted) {
        List<LedgerState.RunCount> runCounts = new ArrayList<>();
        runs.forEach((labels, byState) -> byState.forEach((state, n) ->
                runCounts.add(new LedgerState.RunCount(labels, state, n))));
        List<LedgerState.DurationHistogram> histograms = new ArrayList<>();
        durations.forEach((labels, h) -> histograms.add(
                new LedgerState.DurationHistogram(labels, h.bucketCounts.clone(), h.sum, h.count)));
        List<LedgerState.JobState> jobs = new ArrayList<>();
        lastRun.forEach((job, end) -> {
            FailureStreak s = streaks.getOrDefault(job, new FailureStreak());
            jobs.add(new LedgerState.JobState(job, end, s.lastSuccessMillis(), s.failureEnds(), s.olderFailures()));
        });
        return new LedgerState(LedgerFile.FORMAT, LedgerFile.VERSION, lastSuccessMillis, runCounts, histograms, jobs,
                withCounted ? new HashMap<>(counted) : Map.of());
    }

    /** Continues from a saved state (replaces everything this ledger held). */
    public synchronized void restore(LedgerState state) {
        counted.clear();
        runs.clear();
        durations.clear();
        lastRun.clear();
        streaks.clear();
        counted.putAll(state.counted());
        lastSuccessMillis = state.lastSuccessMillis();
        held.clear();
        for (LedgerState.DurationHistogram h : state.durations()) {
            if (h.bucketCounts().length != DURATION_BUCKETS.length + 1) {
                throw new IllegalArgumentException("duration histogram with " + h.bucketCounts().length
                        + " buckets, expected " + (DURATION_BUCKETS.length + 1));
            }
            durations.put(h.labels(), new Histogram(h.bucketCounts().clone(), h.sum(), h.count()));
        }
        for (LedgerState.RunCount run : state.runs()) {
            introduce(run.labels()); // a state file of an older exporter may lack the zero series
            runs.get(run.labels()).put(run.state(), run.count());
        }
        for (LedgerState.JobState job : state.jobs()) {
            lastRun.put(job.job(), job.lastRunMillis());
            streaks.put(job.job(), new FailureStreak(job.lastSuccessMillis(), job.failureEnds(),
                    job.olderFailures()));
        }
    }
}
