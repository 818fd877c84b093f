package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.prowctl.http.Deadline;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;

/**
 * Gap filling for {@code scrape}: when the last successful scrape ({@link GapState}) is longer ago than deck's
 * window, the runs deck no longer shows are backfilled from GCS for the jobs this scrape reads, into the same sink,
 * after the scrape's own runs and within its deadline. What does not fit (or fails) stays a gap for the next scrape,
 * whose checkpoints skip what this one emitted.
 */
public final class GapFiller {

    /**
     * What a scrape did about a gap.
     *
     * @param window   the build times backfilled
     * @param jobs     jobs backfilled
     * @param result   the backfill's counts
     * @param leftOpen true when part of the window is left for the next scrape
     */
    public record Outcome(GapState.Window window, int jobs, BackfillResult result, boolean leftOpen) {
    }

    private final GapState state;
    private final Instant now;
    private final Optional<GapState.Window> window;
    private final JobSelection.Collector jobs;
    private final Instant lastScrape;

    /** @param now when this scrape started */
    public GapFiller(GapState state, Duration deckWindow, JobFilter filter, Instant now) {
        this.state = state;
        this.now = now;
        this.window = state.pending(now, deckWindow);
        this.lastScrape = state.lastScrape().orElse(null);
        this.jobs = window.isPresent() ? JobSelection.collector(filter, now) : null;
    }

    /** The last successful scrape before this one (null when none was remembered). */
    public Instant lastScrape() {
        return lastScrape;
    }

    /** The window this scrape has to backfill, if any. */
    public Optional<GapState.Window> window() {
        return window;
    }

    /**
     * The source to scrape: {@code deck} itself, or, when there is a gap, {@code deck} whose ProwJobs also tell
     * which jobs to backfill (read once for both).
     */
    public ProwJobSource source(ProwJobSource deck) {
        if (jobs == null) {
            return deck;
        }
        return (sink, progress) -> deck.read(pj -> {
            sink.accept(pj);
            jobs.accept(pj);
        }, progress);
    }

    /** After a successful scrape without a gap: remembers it. */
    public void scraped() {
        state.saved(now, null);
    }

    /**
     * After a successful scrape with a gap: backfills it into {@code sink}, starting no batch after {@code stopBy},
     * and remembers the scrape and what is left of the gap. Jobs named exactly but not in deck are skipped.
     *
     * @throws IOException what the sink threw; the scrape is then not remembered (the next one fills the gap)
     */
    public Outcome fill(Backfill backfill, RunSink sink, Deadline stopBy) throws IOException {
        GapState.Window gap = window.orElseThrow();
        List<BackfillJob> selected;
        try {
            selected = jobs.jobs(null);
        } catch (IllegalArgumentException e) {
            selected = List.of(); // a job deck does not show and no bucket: a scrape backfills deck's jobs only
        }
        BackfillResult result = backfill.run(selected, gap.since(), gap.until(), sink, stopBy);
        boolean leftOpen = result.notReached() > 0 || result.leftOut() > 0 || result.deferred() > 0;
        state.saved(now, leftOpen ? gap : null);
        return new Outcome(gap, selected.size(), result, leftOpen);
    }
}
