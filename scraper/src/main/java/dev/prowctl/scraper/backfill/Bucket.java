package dev.prowctl.scraper.backfill;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.prowctl.http.Deadline;
import dev.prowctl.scraper.flake.GcsApiClient;
import dev.prowctl.scraper.flake.GcswebClient;
import dev.prowctl.scraper.flake.GcswebListing;
import dev.prowctl.scraper.flake.LookupFailed;
import dev.prowctl.scraper.flake.NotServed;
import okhttp3.HttpUrl;

/**
 * Reads and lists the buckets through the GCS JSON API, and through gcsweb for a bucket the API refuses (401, 403,
 * 404): once the API refused a bucket, it is not asked again in this backfill. Every request goes through the
 * classifier's {@code ArtifactsHttp}: per-request timeout, and its retries on 408, 429, 5xx and connection errors.
 */
final class Bucket {

    /**
     * One page of a listing: the names under the directory (run directories end with {@code /}) and the custom
     * metadata of the objects that have any (the GCS API's; gcsweb shows none).
     */
    record Page(java.util.List<String> names, Map<String, Map<String, String>> metadata, String next) {
    }

    private final GcsApiClient api;
    private final GcswebClient gcsweb;
    private final HttpUrl gcswebPrefix;
    private final Map<String, NotServed> apiRefused = new ConcurrentHashMap<>();

    /** @param gcswebPrefix gcsweb's {@code /gcs/} prefix, or null when there is no gcsweb to fall back to */
    Bucket(GcsApiClient api, GcswebClient gcsweb, HttpUrl gcswebPrefix) {
        this.api = api;
        this.gcsweb = gcsweb;
        this.gcswebPrefix = gcswebPrefix;
    }

    /**
     * The first or next page of the directory {@code dir} of {@code bucket}, names from {@code start} (inclusive)
     * to {@code end} (exclusive) where given. {@code token} is the previous page's {@link Page#next}. gcsweb has no
     * end bound: its names past {@code end} are dropped here and the listing ends.
     *
     * @throws NotServed when both the API and gcsweb refuse the bucket (or the API refuses it and there is no gcsweb)
     */
    Page list(String bucket, String dir, String start, String end, String token, Deadline deadline)
            throws LookupFailed, NotServed {
        NotServed refused = apiRefused.get(bucket);
        if (refused == null && (token == null || !token.startsWith("gcsweb:"))) {
            try {
                GcsApiClient.Page page = api.listPage(bucket, dir, start, end, token, deadline);
                java.util.List<String> names = new java.util.ArrayList<>(page.prefixes());
                names.addAll(page.names());
                return new Page(names, page.metadata(), page.nextPageToken());
            } catch (NotServed e) {
                if (token != null) {
                    throw e; // refused midway: the pages so far came from the API, gcsweb's paging is another
                }
                apiRefused.put(bucket, e);
                refused = e;
            }
        }
        if (gcswebPrefix == null) {
            throw new NotServed(refused.code(), refused.getMessage() + " (no gcsweb to fall back to)");
        }
        HttpUrl url;
        if (token != null && token.startsWith("gcsweb:")) {
            url = HttpUrl.parse(token.substring("gcsweb:".length()));
        } else {
            HttpUrl.Builder builder = gcswebPrefix.newBuilder().addPathSegment(bucket).addPathSegments(dir);
            if (start != null) {
                // gcsweb lists names after the marker, as its own next-page links do
                builder.addQueryParameter("marker", before(start));
            }
            url = builder.build();
        }
        GcswebListing listing;
        try {
            listing = gcsweb.listPage(url, deadline);
        } catch (NotServed e) {
            throw new NotServed(e.code(), refused.getMessage() + "; " + e.getMessage());
        }
        if (listing == null) {
            return new Page(java.util.List.of(), Map.of(), null);
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        boolean past = false;
        for (GcswebListing.Entry entry : listing.entries()) {
            String name = dir + entry.name();
            if (end != null && name.compareTo(end) >= 0) {
                past = true;
                break;
            }
            names.add(name);
        }
        return new Page(names, Map.of(), past || listing.nextPageUrl() == null ? null
                : "gcsweb:" + listing.nextPageUrl());
    }

    /** The name just before {@code name} for a start-after marker: {@code name} minus its last character. */
    private static String before(String name) {
        return name.isEmpty() ? name : name.substring(0, name.length() - 1);
    }

    /** The content of one object, or empty when it does not exist. */
    Optional<String> read(String bucket, String object, Deadline deadline) throws LookupFailed, NotServed {
        NotServed refused = apiRefused.get(bucket);
        if (refused == null) {
            try {
                return api.read(bucket, object, deadline);
            } catch (NotServed e) {
                apiRefused.put(bucket, e);
                refused = e;
            }
        }
        if (gcswebPrefix == null) {
            throw new NotServed(refused.code(), refused.getMessage() + " (no gcsweb to fall back to)");
        }
        try {
            return gcsweb.read(gcswebPrefix.newBuilder().addPathSegment(bucket).addPathSegments(object).build(),
                    deadline);
        } catch (NotServed e) {
            throw new NotServed(e.code(), refused.getMessage() + "; " + e.getMessage());
        }
    }
}
