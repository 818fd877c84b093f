package dev.prowctl.scraper.prow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One finished Prow run (a ProwJob with {@code completionTime}), with everything derived from it that the
 * encoders and the flake classifier need. Optional values are {@code null} when the ProwJob does not have them.
 *
 * @param id             {@code status.build_id} (a 19-digit snowflake on OpenShift)
 * @param prowjobName    {@code metadata.name}, the UUID used by {@code /prowjob?prowjob=}
 * @param job            {@code spec.job} (never the 63-character-truncated label)
 * @param type           {@code spec.type}
 * @param rehearsal      an OpenShift rehearsal ({@code ci.openshift.io/rehearse} label or {@code rehearse-} prefix)
 * @param state          the prow state ({@code success, failure, aborted, error, ...}) or {@code flake} once
 *                       the classifier has called a failure an infrastructure flake
 * @param startTime      {@code status.startTime}
 * @param endTime        {@code status.completionTime}
 * @param org            from {@code spec.refs}, else {@code spec.extra_refs[0]}
 * @param repo           likewise
 * @param baseRef        likewise
 * @param pullRequest    {@code spec.refs.pulls[0].number}
 * @param pullRequestUrl {@code spec.refs.pulls[0].link}
 * @param pullSha        {@code spec.refs.pulls[0].sha}
 * @param target         ci-operator {@code --target=} from the first container's args
 * @param clusterProfile {@code ci-operator.openshift.io/cloud-cluster-profile} label
 * @param variant        {@code ci-operator.openshift.io/variant} label (or {@code --variant=})
 * @param cluster        {@code spec.cluster}, the build cluster
 * @param logUrl         {@code status.url}, the spyglass page
 * @param prowjobUrl     {@code <deck>/prowjob?prowjob=<metadata.name>}
 * @param artifactsUrl   gcsweb prefix + bucket/path of {@code status.url} + {@code /}
 * @param flakeReason    why the classifier decided (e.g. {@code no-build-log:e2e}); {@code null} when not classified
 */
public record ProwRun(
        String id,
        String prowjobName,
        String job,
        JobType type,
        boolean rehearsal,
        String state,
        Instant startTime,
        Instant endTime,
        String org,
        String repo,
        String baseRef,
        Integer pullRequest,
        String pullRequestUrl,
        String pullSha,
        String target,
        String clusterProfile,
        String variant,
        String cluster,
        String logUrl,
        String prowjobUrl,
        String artifactsUrl,
        String flakeReason) {

    public static final String FLAKE = "flake";

    public ProwRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
    }

    /** The original tool's numeric state: success 0, pending 1, failure 2, aborted 3, flake 4, anything else 10. */
    public int stateInt() {
        return switch (state) {
            case "success" -> 0;
            case "pending" -> 1;
            case "failure" -> 2;
            case "aborted" -> 3;
            case FLAKE -> 4;
            default -> 10;
        };
    }

    /** Run time in whole seconds. */
    public long durationSeconds() {
        return Duration.between(startTime, endTime).getSeconds();
    }

    /** This run with the classifier's verdict recorded: state {@code flake} when {@code flake} is true. */
    public ProwRun classified(boolean flake, String reason) {
        return new ProwRun(id, prowjobName, job, type, rehearsal, flake ? FLAKE : state, startTime, endTime, org,
                repo, baseRef, pullRequest, pullRequestUrl, pullSha, target, clusterProfile, variant, cluster, logUrl,
                prowjobUrl, artifactsUrl, reason);
    }

    /** {@code spec.type} values. */
    public enum JobType {
        PRESUBMIT, POSTSUBMIT, PERIODIC, BATCH;

        /** The lower-case name prow uses. */
        public String prowName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static JobType fromProw(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
