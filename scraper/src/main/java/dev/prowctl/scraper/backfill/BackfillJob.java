package dev.prowctl.scraper.backfill;

import java.util.Set;

import dev.prowctl.scraper.prow.ProwRun.JobType;

/**
 * One job to backfill: its name, the bucket its runs are in, where to list them, and what deck showed of it.
 *
 * @param name       {@code spec.job}
 * @param bucket     from its runs' {@code status.url} (or {@code --bucket})
 * @param pathPrefix what precedes {@code logs/} or {@code pr-logs/} in its runs' paths (Prow's
 *                   {@code gcs_configuration.path_prefix}), ending with {@code /}; usually empty
 * @param layouts    the directories to list
 * @param seenType   the type of its runs in deck's payload, or null when deck has none (a job that no longer
 *                   runs): a run under {@code logs/} then cannot be told periodic from postsubmit without its
 *                   {@code prowjob.json}
 * @param snowflakes true when deck showed a time-ordered (snowflake) build id for it, false when it showed another
 *                   kind, null when deck has no run of it (then {@code latest-build.txt} tells)
 */
public record BackfillJob(String name, String bucket, String pathPrefix, Set<Layout> layouts, JobType seenType,
                          Boolean snowflakes) {
    public BackfillJob {
        layouts = Set.copyOf(layouts);
    }

    /** The directory listed for this job in {@code layout}, ending with {@code /}. */
    String directory(Layout layout) {
        return pathPrefix + layout.directory(name);
    }
}
