package dev.prowctl.scraper.flake;

import java.time.Duration;

/**
 * The figures of one classification.
 *
 * @param runs       finished runs handed in
 * @param candidates failed e2e/unit runs with a target (the ones that get a verdict)
 * @param fromCache  candidates answered from the cache, without a request
 * @param lookedUp   candidates classified by artifacts lookups this time
 * @param flakes     candidates (cached or looked up) called flakes
 * @param deferred   candidates left out until a later scrape (lookup failed or deadline passed)
 * @param requests   HTTP requests sent, retries included
 * @param took       wall time of the classification
 * @param undecided  candidates emitted as {@code failure} with {@code flake_reason=undecided:<why>}
 */
public record ClassificationSummary(int runs, int candidates, int fromCache, int lookedUp, int flakes, int deferred,
                                   int requests, Duration took, int undecided) {

    /** Without undecided runs. */
    public ClassificationSummary(int runs, int candidates, int fromCache, int lookedUp, int flakes, int deferred,
                                 int requests, Duration took) {
        this(runs, candidates, fromCache, lookedUp, flakes, deferred, requests, took, 0);
    }

    /** One line for stderr (with {@code --verbose}). */
    public String describe() {
        return String.format("flakes: %d failed e2e/unit runs of %d: %d from cache, %d looked up (%d requests), "
                        + "%d flakes, %s%d deferred to the next scrape; %.1f s",
                candidates, runs, fromCache, lookedUp, requests, flakes,
                undecided > 0 ? undecided + " undecided, " : "", deferred, took.toMillis() / 1000.0);
    }
}
