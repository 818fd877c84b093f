package dev.prowctl.scraper.backfill;

/**
 * One run found by a listing, not read yet.
 *
 * @param job     the job it was listed for
 * @param layout  where it was listed
 * @param buildId its build id (the directory or alias name)
 * @param object  the run's directory ({@code logs/<job>/<build>}, no trailing slash) or, for
 *                {@link Layout#PR_DIRECTORY}, the alias object {@code pr-logs/directory/<job>/<build>.txt}
 */
public record RunRef(BackfillJob job, Layout layout, String buildId, String object) {
}
