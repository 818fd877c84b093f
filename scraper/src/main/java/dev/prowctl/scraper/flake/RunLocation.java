package dev.prowctl.scraper.flake;

import java.util.List;
import java.util.Optional;

import okhttp3.HttpUrl;

/**
 * Where a run's files live in GCS, taken from its spyglass URL {@code https://<deck>/view/gs/<bucket>/<path>}
 * (never hard-coded: OpenShift's bucket changed name twice).
 *
 * @param bucket the GCS bucket, e.g. {@code test-platform-results}
 * @param path   the run's directory inside the bucket, without leading or trailing slash
 */
public record RunLocation(String bucket, String path) {

    /** The location encoded in a spyglass URL, or empty when the URL is not a {@code /view/gs/} page. */
    public static Optional<RunLocation> fromSpyglassUrl(String logUrl) {
        HttpUrl url = logUrl == null ? null : HttpUrl.parse(logUrl);
        if (url == null) {
            return Optional.empty();
        }
        List<String> segments = url.pathSegments();
        for (int i = 0; i + 3 < segments.size(); i++) {
            if (segments.get(i).equals("view") && segments.get(i + 1).equals("gs")) {
                String bucket = segments.get(i + 2);
                List<String> rest = segments.subList(i + 3, segments.size()).stream()
                        .filter(s -> !s.isEmpty()).toList();
                if (bucket.isEmpty() || rest.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new RunLocation(bucket, String.join("/", rest)));
            }
        }
        return Optional.empty();
    }

    /** The object-name prefix of a directory under the run, ending with {@code /}. */
    public String objectPrefix(String relativeDir) {
        return path + "/" + relativeDir + (relativeDir.endsWith("/") ? "" : "/");
    }

    /** A cache key that is unique per run across buckets and decks. */
    public String key() {
        return bucket + "/" + path;
    }
}
