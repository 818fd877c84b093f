package dev.prowctl.scraper.backfill;

import java.util.EnumSet;
import java.util.Set;

import dev.prowctl.scraper.prow.ProwRun.JobType;

/**
 * Where a job's runs are listed in its bucket ({@code pkg/pod-utils/gcs/target.go}): periodic and postsubmit runs
 * under {@code logs/<job>/<build>/}; presubmit runs under {@code pr-logs/pull/<org_repo>/<pr>/<job>/<build>/}, found
 * through the alias {@code pr-logs/directory/<job>/<build>.txt} that holds their path; batch runs (a presubmit job
 * run on several pull requests at once) under {@code pr-logs/pull/batch/<job>/<build>/}, without an alias.
 */
enum Layout {
    /** {@code logs/<job>/}: one directory per run (periodic, postsubmit). */
    LOGS("logs/"),
    /** {@code pr-logs/directory/<job>/}: one {@code <build>.txt} per presubmit run, holding the run's path. */
    PR_DIRECTORY("pr-logs/directory/"),
    /** {@code pr-logs/pull/batch/<job>/}: one directory per batch run. */
    BATCH("pr-logs/pull/batch/");

    private final String root;

    Layout(String root) {
        this.root = root;
    }

    /** The directory listed for {@code job}, ending with {@code /}. */
    String directory(String job) {
        return root + job + "/";
    }

    /** True when the listing names files ({@code <build>.txt}) rather than run directories. */
    boolean aliases() {
        return this == PR_DIRECTORY;
    }

    /** The type every run of this layout has, or null for {@link #LOGS} (periodic or postsubmit). */
    JobType type() {
        return switch (this) {
            case LOGS -> null;
            case PR_DIRECTORY -> JobType.PRESUBMIT;
            case BATCH -> JobType.BATCH;
        };
    }

    /**
     * The layouts that may hold runs of a job seen as {@code seen} (null: not seen, all three), narrowed to those
     * that can hold {@code wanted} (a {@code --type} filter; null: any). A presubmit job's batch runs carry the same
     * job name, so a presubmit or batch job is listed in both places.
     */
    static Set<Layout> forJob(JobType seen, JobType wanted) {
        EnumSet<Layout> layouts = seen == null ? EnumSet.allOf(Layout.class) : switch (seen) {
            case PERIODIC, POSTSUBMIT -> EnumSet.of(LOGS);
            case PRESUBMIT, BATCH -> EnumSet.of(PR_DIRECTORY, BATCH);
        };
        if (wanted != null) {
            layouts.retainAll(switch (wanted) {
                case PERIODIC, POSTSUBMIT -> EnumSet.of(LOGS);
                case PRESUBMIT -> EnumSet.of(PR_DIRECTORY);
                case BATCH -> EnumSet.of(BATCH);
            });
        }
        return layouts;
    }
}
