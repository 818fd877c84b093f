package dev.prowctl.scraper.flake;

import java.util.List;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * Decides, for the finished runs of one scrape, which failures were infrastructure flakes.
 * The scrape pipeline is: read deck → filter → finished runs → {@code classify} → encode.
 */
public interface RunClassifier {

    /** Leaves every run as it is (used with {@code --no-flakes}). */
    RunClassifier NONE = runs -> runs;

    /**
     * Returns the runs to emit now, in the order given: failed runs carry their verdict
     * ({@link ProwRun#classified}); a run whose verdict could not be decided this time (lookup failed, deadline
     * passed) is left out, so that a later scrape emits it once with its final state, but only for a bounded time:
     * then, or at once when asking again cannot help, it is emitted as {@code failure} with
     * {@code flake_reason="undecided:<why>"}.
     */
    List<ProwRun> classify(List<ProwRun> finishedRuns);
}
