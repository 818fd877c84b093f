package dev.prowctl.scraper.backfill;

/**
 * What a {@link Backfill} tells its caller while it runs: progress for a progress bar, and one line per job or run
 * that is left out (and why), per warning, and about resuming. Called from the thread that runs the backfill.
 */
public interface BackfillListener {

    BackfillListener NONE = new BackfillListener() {
    };

    /**
     * @param jobsListed  job directories listed so far, of {@code jobs}
     * @param runsListed  runs found so far (not done before)
     * @param runsRead    runs read so far
     */
    default void progress(int jobsListed, int jobs, int runsListed, int runsRead) {
    }

    /** Something was left out: a job that could not be listed (in full), a run that could not be read. */
    default void leftOut(String line) {
    }

    /** A warning that does not leave anything out (a run rebuilt from started.json and finished.json, ...). */
    default void warning(String line) {
    }

    /** Runs found in the window that earlier backfills already emitted, so they are not read again. */
    default void resumed(int runsAlreadyDone, int jobs) {
    }
}
