package dev.prowctl.scraper.prow;

import java.util.ArrayList;
import java.util.List;

/**
 * The scrape pipeline's first half for one payload: filter the ProwJobs like deck, keep the finished ones, drop
 * {@code /override} runs, derive a {@link ProwRun} for each, and count what was left out and why.
 */
public final class RunCollector implements ProwJobReader.ParallelSink<RunCollector> {

    private final JobFilter.Matcher filter;
    private final RunDeriver deriver;
    private final List<ProwRun> runs = new ArrayList<>();
    private int matched;
    private int unfinished;
    private int overrides;
    private int unusable;
    private String firstProblem;

    public RunCollector(JobFilter filter, RunDeriver deriver) {
        this(filter.matcher(), deriver);
    }

    private RunCollector(JobFilter.Matcher filter, RunDeriver deriver) {
        this.filter = filter;
        this.deriver = deriver;
    }

    /** An empty collector with the same filter and deriver (both immutable), for later items on another thread. */
    @Override
    public RunCollector fork() {
        return new RunCollector(filter, deriver);
    }

    /** Appends what {@code later} collected (from the items after this one's) to this collector. */
    @Override
    public void join(RunCollector later) {
        runs.addAll(later.runs);
        matched += later.matched;
        unfinished += later.unfinished;
        overrides += later.overrides;
        unusable += later.unusable;
        if (firstProblem == null) {
            firstProblem = later.firstProblem;
        }
    }

    @Override
    public void accept(ProwJob pj) {
        if (!filter.matches(pj)) {
            return;
        }
        matched++;
        if (!RunDeriver.isFinished(pj)) {
            unfinished++;
            return;
        }
        if (RunDeriver.isOverride(pj)) {
            overrides++;
            return;
        }
        try {
            runs.add(deriver.derive(pj));
        } catch (IllegalArgumentException e) {
            unusable++;
            if (firstProblem == null) {
                // a job name can be what made the run unusable (longer than InfluxDB's key limit)
                String job = pj.job() != null && pj.job().length() > 200 ? pj.job().substring(0, 200) + "..." : pj.job();
                firstProblem = "job " + job + (pj.buildId() == null ? "" : " build " + pj.buildId()) + ": "
                        + e.getMessage();
            }
        }
    }

    /** The finished runs, in payload order (deck's: newest first). */
    public List<ProwRun> runs() {
        return runs;
    }

    /** ProwJobs that passed the filters. */
    public int matched() {
        return matched;
    }

    public int unfinished() {
        return unfinished;
    }

    public int overrides() {
        return overrides;
    }

    /** Matching, finished ProwJobs that were skipped because a required value was missing or unreadable. */
    public int unusable() {
        return unusable;
    }

    /** Why the first unusable ProwJob was skipped, or null. */
    public String firstProblem() {
        return firstProblem;
    }
}
