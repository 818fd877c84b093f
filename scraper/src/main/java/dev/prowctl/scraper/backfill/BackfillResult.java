package dev.prowctl.scraper.backfill;

/**
 * What one backfill did.
 *
 * @param jobs          jobs backfilled
 * @param listed        runs listed in the window (not done by an earlier backfill)
 * @param skippedDone   runs in the window an earlier backfill already emitted (not read again)
 * @param read          runs whose record was read
 * @param fallbacks     of those, runs rebuilt from {@code started.json} and {@code finished.json}
 * @param unfinished    runs without {@code finished.json} (or a finished ProwJob): left for a later backfill
 * @param emitted       runs handed to the sink
 * @param written       runs the sink stored
 * @param filteredOut   runs the filters or the window left out
 * @param unusable      runs whose record cannot be a point (as in a scrape)
 * @param leftOut       runs and jobs left out by failures (each reported); exit 1 when above zero
 * @param deferred      failed runs the classifier left out (verdict deferred) or emitted as undecided: not
 *                      checkpointed, a later backfill reads them again
 * @param notReached    runs listed but not read because the deadline passed: left for a later backfill
 * @param requests      HTTP requests to GCS and gcsweb (retries included; the classifier's not)
 */
public record BackfillResult(int jobs, int listed, int skippedDone, int read, int fallbacks, int unfinished,
                             int emitted, int written, int filteredOut, int unusable, int leftOut, int deferred,
                             int notReached, int requests) {

    /** True when something that should have been emitted was not. */
    public boolean incomplete() {
        return leftOut > 0;
    }
}
