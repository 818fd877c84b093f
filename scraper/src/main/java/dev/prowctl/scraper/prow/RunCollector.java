package dev.prowctl.scraper.prow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scrape pipeline's first half for one payload: filter the ProwJobs like deck, keep the finished ones, drop
 * {@code /override} runs, derive a {@link ProwRun} for each, and count what was left out and why.
 */
public final class RunCollector implements Consumer<ProwJob> {

    private final JobFilter.Matcher filter;
    private final RunDeriver deriver;
    private final List<ProwRun> runs = new ArrayList<>();
    private int matched;
    private int unfinished;
    private int overrides;
    private int unusable;
    private String firstProblem;

    public RunCollector(JobFilter filter, RunDeriver deriver) {
        this.filter = filter.matcher();
        this.deriver = deriver;
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
                firstProblem = "job " + pj.job() + (pj.buildId() == null ? "" : " build " + pj.buildId()) + ": "
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
