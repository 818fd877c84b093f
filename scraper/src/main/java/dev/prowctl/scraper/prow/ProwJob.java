package dev.prowctl.scraper.prow;

import java.util.List;
import java.util.Map;

/**
 * The slice of one ProwJob item of {@code prowjobs.js} that scrape needs, as read from the payload (nothing derived
 * yet). Absent values are {@code null}; lists and maps are never {@code null}.
 *
 * @param name           {@code metadata.name}
 * @param labels         the {@code metadata.labels} scrape uses (rehearse, cluster profile, variant)
 * @param type           {@code spec.type}
 * @param job            {@code spec.job}
 * @param cluster        {@code spec.cluster}
 * @param refs           {@code spec.refs}
 * @param extraRefs      {@code spec.extra_refs}
 * @param args           {@code spec.pod_spec.containers[0].args} (empty when pod_spec is omitted or stubbed)
 * @param state          {@code status.state}
 * @param startTime      {@code status.startTime}
 * @param completionTime {@code status.completionTime}
 * @param buildId        {@code status.build_id}
 * @param url            {@code status.url}
 * @param description    {@code status.description}
 */
public record ProwJob(
        String name,
        Map<String, String> labels,
        String type,
        String job,
        String cluster,
        Refs refs,
        List<Refs> extraRefs,
        List<String> args,
        String state,
        String startTime,
        String completionTime,
        String buildId,
        String url,
        String description) {

    /** {@code org/repo} from {@code refs}, else from {@code extra_refs[0]}, as deck's {@code repo=} filter sees it. */
    public Refs mainRefs() {
        if (refs != null) {
            return refs;
        }
        return extraRefs.isEmpty() ? null : extraRefs.get(0);
    }

    /** A {@code Refs} object: the repository a job runs against and the pull requests merged into it. */
    public record Refs(String org, String repo, String baseRef, List<Pull> pulls) {
    }

    /** One entry of {@code refs.pulls}. */
    public record Pull(Integer number, String author, String sha, String link) {
    }
}
