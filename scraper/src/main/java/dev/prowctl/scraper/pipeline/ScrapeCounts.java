package dev.prowctl.scraper.pipeline;

/**
 * What one payload held, as far as the scrape is concerned.
 *
 * @param items        ProwJobs in the payload
 * @param matched      ProwJobs that passed the filters
 * @param skipped      unusable ProwJobs left out (wrong JSON types, or a required value missing)
 * @param firstProblem why the first of them was left out, or null when none was
 * @param finished     finished runs derived from the matching ProwJobs (before classification)
 * @param unfinished   matching ProwJobs still pending or running
 * @param overrides    matching {@code /override} runs, which are not real runs and are left out
 */
public record ScrapeCounts(int items, int matched, int skipped, String firstProblem, int finished, int unfinished,
                           int overrides) {
}
