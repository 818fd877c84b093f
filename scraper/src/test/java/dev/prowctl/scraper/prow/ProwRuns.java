package dev.prowctl.scraper.prow;

import java.time.Instant;

/**
 * Builds {@link ProwRun}s for tests, so a test names only the components it is about instead of a 22-argument
 * constructor call. Start from {@link #periodic} (only what every run has) or {@link #presubmit} (every link and
 * label filled in), change what matters, then {@link #build()}.
 *
 * <p>A test builder rather than {@code ProwRun.builder()} in main: production code builds runs in one place
 * ({@code RunDeriver}), and these defaults are test data.
 */
public final class ProwRuns {

    /** 2023-11-14T22:13:20Z, the start every run gets unless a test says otherwise. */
    public static final Instant START = Instant.ofEpochSecond(1_700_000_000L);
    /** 47 min 40 s (2860 s) after {@link #START}. */
    public static final Instant END = START.plusSeconds(2860);

    private final String id;
    private String prowjobName;
    private String job;
    private ProwRun.JobType type;
    private boolean rehearsal;
    private String state = "success";
    private Instant startTime = START;
    private Instant endTime = END;
    private String org;
    private String repo;
    private String baseRef;
    private Integer pullRequest;
    private String pullRequestUrl;
    private String pullSha;
    private String target;
    private String clusterProfile;
    private String variant;
    private String cluster;
    private String logUrl;
    private String prowjobUrl;
    private String artifactsUrl;
    private String flakeReason;

    private ProwRuns(String id, String job, ProwRun.JobType type) {
        this.id = id;
        this.job = job;
        this.type = type;
    }

    /** A successful periodic run with only the required components; every optional one is null. */
    public static ProwRuns periodic(String id, String job) {
        return new ProwRuns(id, job, ProwRun.JobType.PERIODIC);
    }

    /**
     * A successful presubmit of openshift/oadp-operator PR 900 with every component set: ci-operator target
     * {@code e2e}, cluster profile {@code aws}, variant {@code 4.10}, build cluster {@code build01}, and deck,
     * spyglass and gcsweb links on {@code prow.example} and {@code gcsweb.example} that contain {@code id}.
     */
    public static ProwRuns presubmit(String id, String job) {
        return new ProwRuns(id, job, ProwRun.JobType.PRESUBMIT)
                .prowjobName("uuid-" + id)
                .refs("openshift", "oadp-operator", "master")
                .pull(900, "https://github.com/openshift/oadp-operator/pull/900", "abc")
                .target("e2e").clusterProfile("aws").variant("4.10").cluster("build01")
                .logUrl("https://prow.example/view/gs/b/p/" + id)
                .prowjobUrl("https://prow.example/prowjob?prowjob=uuid-" + id)
                .artifactsUrl("https://gcsweb.example/gcs/b/p/" + id + "/");
    }

    public ProwRuns prowjobName(String prowjobName) {
        this.prowjobName = prowjobName;
        return this;
    }

    public ProwRuns job(String job) {
        this.job = job;
        return this;
    }

    public ProwRuns type(ProwRun.JobType type) {
        this.type = type;
        return this;
    }

    public ProwRuns rehearsal(boolean rehearsal) {
        this.rehearsal = rehearsal;
        return this;
    }

    public ProwRuns state(String state) {
        this.state = state;
        return this;
    }

    public ProwRuns between(Instant startTime, Instant endTime) {
        this.startTime = startTime;
        this.endTime = endTime;
        return this;
    }

    /** Org, repo and base branch, as from {@code spec.refs}. */
    public ProwRuns refs(String org, String repo, String baseRef) {
        this.org = org;
        this.repo = repo;
        this.baseRef = baseRef;
        return this;
    }

    /** The pull request's number, link and head commit; all null for a run without one. */
    public ProwRuns pull(Integer number, String url, String sha) {
        this.pullRequest = number;
        this.pullRequestUrl = url;
        this.pullSha = sha;
        return this;
    }

    public ProwRuns target(String target) {
        this.target = target;
        return this;
    }

    public ProwRuns clusterProfile(String clusterProfile) {
        this.clusterProfile = clusterProfile;
        return this;
    }

    public ProwRuns variant(String variant) {
        this.variant = variant;
        return this;
    }

    public ProwRuns cluster(String cluster) {
        this.cluster = cluster;
        return this;
    }

    public ProwRuns logUrl(String logUrl) {
        this.logUrl = logUrl;
        return this;
    }

    public ProwRuns prowjobUrl(String prowjobUrl) {
        this.prowjobUrl = prowjobUrl;
        return this;
    }

    public ProwRuns artifactsUrl(String artifactsUrl) {
        this.artifactsUrl = artifactsUrl;
        return this;
    }

    public ProwRuns flakeReason(String flakeReason) {
        this.flakeReason = flakeReason;
        return this;
    }

    public ProwRun build() {
        return new ProwRun(id, prowjobName, job, type, rehearsal, state, startTime, endTime, org, repo, baseRef,
                pullRequest, pullRequestUrl, pullSha, target, clusterProfile, variant, cluster, logUrl, prowjobUrl,
                artifactsUrl, flakeReason);
    }
}
