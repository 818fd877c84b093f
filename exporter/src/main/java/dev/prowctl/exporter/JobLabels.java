package dev.prowctl.exporter;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * The labels that name a job's series: {@code job_name, type, org, repo, base_ref} (absent values are empty
 * strings, which Prometheus treats as a missing label).
 */
public record JobLabels(String job, String type, String org, String repo, String baseRef) {

    public JobLabels {
        type = orEmpty(type);
        org = orEmpty(org);
        repo = orEmpty(repo);
        baseRef = orEmpty(baseRef);
    }

    static JobLabels of(ProwRun run) {
        return new JobLabels(run.job(), run.type().prowName(), run.org(), run.repo(), run.baseRef());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
