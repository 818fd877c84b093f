package dev.prowctl.cli;

import dev.prowctl.scraper.prow.JobFilter;
import picocli.CommandLine.Option;

/** {@code prowctl scrape}'s job filters, named like deck's page filters; they win over the --url query's. */
public final class JobFilterOptions {

    @Option(names = "--job", paramLabel = "GLOB", description = "Job name, exact or with * wildcards (deck's job=).")
    String job;

    @Option(names = "--type", paramLabel = "TYPE", description = "presubmit, postsubmit, periodic or batch.")
    String type;

    @Option(names = "--state", paramLabel = "STATE", description = "success, failure, aborted, error, ...")
    String state;

    @Option(names = "--repo", paramLabel = "ORG/REPO", description = "Repository (from refs, else extra_refs[0]).")
    String repo;

    @Option(names = "--pull", paramLabel = "N", description = "Pull request number.")
    String pull;

    @Option(names = "--author", paramLabel = "AUTHOR", description = "Pull request author.")
    String author;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Build cluster (e.g. build02).")
    String cluster;

    /** The filters given on the command line ({@code null} where not given). */
    JobFilter filter() {
        return new JobFilter(job, type, state, repo, pull, author, cluster);
    }
}
