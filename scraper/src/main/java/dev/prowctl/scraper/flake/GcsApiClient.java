package dev.prowctl.scraper.flake;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Redaction;
import okhttp3.HttpUrl;

/**
 * The two calls of the GCS JSON API the classifier needs, anonymous (public buckets): list one directory level
 * ({@code GET /storage/v1/b/<bucket>/o?prefix=<dir>/&delimiter=/}, following {@code nextPageToken}) and read one
 * object ({@code GET /storage/v1/b/<bucket>/o/<object>?alt=media}).
 */
public final class GcsApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpUrl baseUrl;
    private final ArtifactsHttp http;

    /** @param baseUrl {@code --gcs-api-url}, e.g. {@code https://storage.googleapis.com} */
    public GcsApiClient(HttpUrl baseUrl, ArtifactsHttp http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    /**
     * Lists the directory {@code prefix} (ending with {@code /}): whether it holds anything, and whether it directly
     * holds a file named {@code fileName}; stops paging as soon as that is found.
     *
     * @throws NotServed when the API answers 401/403/404 (the caller falls back to gcsweb)
     */
    Listing list(String bucket, String prefix, String fileName, Deadline deadline) throws LookupFailed, NotServed {
        String pageToken = null;
        int pages = 0;
        boolean empty = true;
        do {
            Fetched fetched = fetch(bucket, prefix, "items(name),prefixes,nextPageToken", null, null, pageToken,
                    deadline);
            HttpUrl pageUrl = fetched.url();
            JsonNode page = fetched.page();
            for (JsonNode item : page.path("items")) {
                if (item.path("name").asText("").equals(prefix + fileName)) {
                    return new Listing(false, true);
                }
            }
            empty &= page.path("items").isEmpty() && page.path("prefixes").isEmpty();
            pageToken = page.path("nextPageToken").asText(null);
            if (++pages > 10_000) {
                throw new LookupFailed("bad-answer", false, "GCS API kept paging "
                        + Redaction.url(pageUrl.toString()) + " (more than 10000 pages)", null);
            }
        } while (pageToken != null && !pageToken.isEmpty());
        return empty ? Listing.NOTHING : new Listing(false, false);
    }

    /** A listing page as the API answered it, with the URL it came from (for messages). */
    private record Fetched(HttpUrl url, JsonNode page) {
    }

    /** GETs one page of the directory {@code prefix}; null bounds and token are left out of the request. */
    private Fetched fetch(String bucket, String prefix, String fields, String startOffset, String endOffset,
                          String pageToken, Deadline deadline) throws LookupFailed, NotServed {
        HttpUrl.Builder url = objects(bucket)
                .addQueryParameter("prefix", prefix)
                .addQueryParameter("delimiter", "/")
                .addQueryParameter("fields", fields);
        if (startOffset != null) {
            url.addQueryParameter("startOffset", startOffset);
        }
        if (endOffset != null) {
            url.addQueryParameter("endOffset", endOffset);
        }
        if (pageToken != null) {
            url.addQueryParameter("pageToken", pageToken);
        }
        HttpUrl pageUrl = url.build();
        ArtifactsHttp.Answer answer = http.get(pageUrl, deadline);
        if (NotServed.isFallbackCode(answer.code())) {
            throw new NotServed(answer.code(), "GCS API answered HTTP " + answer.code() + " for bucket " + bucket);
        }
        if (!answer.ok()) {
            throw LookupFailed.http(answer.code(), "GCS API answered HTTP " + answer.code() + " for "
                    + Redaction.url(pageUrl.toString()));
        }
        return new Fetched(pageUrl, parse(answer.body(), pageUrl));
    }

    /**
     * One page of a listing: the sub-directories ({@code prefixes}, ending with {@code /}) and object names directly
     * under the prefix, the custom metadata of the objects that have any (object name to the item's
     * {@code metadata} map, e.g. a presubmit alias's {@code x-goog-meta-link}), and the token of the next page
     * ({@code null} on the last).
     */
    public record Page(java.util.List<String> prefixes, java.util.List<String> names,
                       java.util.Map<String, java.util.Map<String, String>> metadata, String nextPageToken) {
    }

    /**
     * Lists one page of the directory {@code prefix} (ending with {@code /}), only names from {@code startOffset}
     * (inclusive) to {@code endOffset} (exclusive) when given: the API's lexicographic bounds, so a directory of
     * thousands of time-ordered build ids is listed from a point in time on instead of from its beginning. Each
     * object's custom metadata comes with its name (asked for in {@code fields}): objects.list items carry it as
     * {@code "metadata": {"key": "value", ...}}, string values only.
     *
     * @throws NotServed when the API answers 401/403/404 (the caller falls back to gcsweb)
     */
    public Page listPage(String bucket, String prefix, String startOffset, String endOffset, String pageToken,
                         Deadline deadline) throws LookupFailed, NotServed {
        JsonNode page = fetch(bucket, prefix, "items(name,metadata),prefixes,nextPageToken", startOffset, endOffset,
                pageToken, deadline).page();
        java.util.List<String> prefixes = new java.util.ArrayList<>();
        page.path("prefixes").forEach(p -> prefixes.add(p.asText()));
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.Map<String, java.util.Map<String, String>> metadata = new java.util.HashMap<>();
        for (JsonNode item : page.path("items")) {
            String name = item.path("name").asText();
            names.add(name);
            java.util.Map<String, String> custom = new java.util.HashMap<>();
            item.path("metadata").fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    custom.put(e.getKey(), e.getValue().asText());
                }
            });
            if (!custom.isEmpty()) {
                metadata.put(name, java.util.Map.copyOf(custom));
            }
        }
        String next = page.path("nextPageToken").asText(null);
        return new Page(prefixes, names, metadata, next == null || next.isEmpty() ? null : next);
    }

    /**
     * The content of one object, or empty when it does not exist (404 once the bucket is known to be served).
     *
     * @throws NotServed when the API answers 401/403 (the caller falls back to gcsweb)
     */
    public Optional<String> read(String bucket, String object, Deadline deadline) throws LookupFailed, NotServed {
        HttpUrl url = objects(bucket).addPathSegment(object).addQueryParameter("alt", "media").build();
        ArtifactsHttp.Answer answer = http.get(url, deadline);
        if (answer.code() == 404) {
            return Optional.empty();
        }
        if (answer.code() == 401 || answer.code() == 403) {
            throw new NotServed(answer.code(), "GCS API answered HTTP " + answer.code() + " for bucket " + bucket);
        }
        if (!answer.ok()) {
            throw LookupFailed.http(answer.code(), "GCS API answered HTTP " + answer.code() + " for "
                    + Redaction.url(url.toString()));
        }
        return Optional.of(answer.body());
    }

    private HttpUrl.Builder objects(String bucket) {
        return baseUrl.newBuilder().addPathSegments("storage/v1/b").addPathSegment(bucket).addPathSegment("o");
    }

    private static JsonNode parse(String body, HttpUrl url) throws LookupFailed {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new LookupFailed("bad-answer", false, "GCS API answer for " + Redaction.url(url.toString())
                        + " is not a JSON object", null);
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LookupFailed("bad-answer", false, "GCS API answer for " + Redaction.url(url.toString())
                    + " is not JSON", e);
        }
    }
}
