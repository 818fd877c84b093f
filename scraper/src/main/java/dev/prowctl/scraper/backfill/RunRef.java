package dev.prowctl.scraper.backfill;

/**
 * One run found by a listing, not read yet.
 *
 * @param job     the job it was listed for
 * @param layout  where it was listed
 * @param buildId its build id (the directory or alias name)
 * @param object  the run's directory ({@code logs/<job>/<build>}, no trailing slash) or, for
 *                {@link Layout#PR_DIRECTORY}, the alias object {@code pr-logs/directory/<job>/<build>.txt}
 * @param runPath the run's directory when the listing told it: {@code object} for a directory, the link in a
 *                presubmit alias's metadata; null when only the alias's content tells (it is read first)
 */
public record RunRef(BackfillJob job, Layout layout, String buildId, String object, String runPath) {
}
