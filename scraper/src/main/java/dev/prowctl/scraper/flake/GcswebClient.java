package dev.prowctl.scraper.flake;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import okhttp3.HttpUrl;

/**
 * gcsweb, the HTML front of the artifacts bucket: the fallback when the GCS JSON API refuses a bucket. Lists a
 * directory page by page ({@link GcswebListing}) and reads a file (gcsweb redirects to the object, OkHttp follows).
 * A 404 means "not there"; 401/403 mean the artifacts are not readable anonymously ({@link NotServed}).
 */
public final class GcswebClient {
    private final ArtifactsHttp http;

    public GcswebClient(ArtifactsHttp http) {
        this.http = http;
    }

    /**
     * Lists the directory page {@code dirUrl} (ending with {@code /}): whether it lists anything, and whether it
     * lists a file named {@code fileName}. A 404 is a directory that does not exist.
     */
    Listing list(HttpUrl dirUrl, String fileName, Deadline deadline) throws LookupFailed, NotServed {
        HttpUrl pageUrl = dirUrl;
        Set<HttpUrl> seen = new HashSet<>();
        boolean empty = true;
        while (pageUrl != null && seen.add(pageUrl)) {
            ArtifactsHttp.Answer answer = http.get(pageUrl, deadline);
            if (answer.code() == 404) {
                return empty ? Listing.NOTHING : new Listing(false, false);
            }
            denied(answer, pageUrl);
            if (!answer.ok()) {
                throw LookupFailed.http(answer.code(), "gcsweb answered HTTP " + answer.code() + " for "
                        + Redaction.url(pageUrl.toString()));
            }
            GcswebListing page;
            try {
                page = GcswebListing.parse(answer.body(), pageUrl.toString());
            } catch (IllegalArgumentException e) {
                throw new LookupFailed("bad-answer", false, "gcsweb page " + Redaction.url(pageUrl.toString())
                        + " is " + TerminalText.oneLine(e.getMessage()), null);
            }
            if (page.hasFile(fileName)) {
                return new Listing(false, true);
            }
            empty &= page.entries().isEmpty();
            pageUrl = page.nextPageUrl() == null ? null : HttpUrl.parse(page.nextPageUrl());
        }
        return empty ? Listing.NOTHING : new Listing(false, false);
    }

    /**
     * One page of a directory listing at {@code pageUrl}, or {@code null} when gcsweb answers 404 (no such
     * directory).
     */
    public GcswebListing listPage(HttpUrl pageUrl, Deadline deadline) throws LookupFailed, NotServed {
        ArtifactsHttp.Answer answer = http.get(pageUrl, deadline);
        if (answer.code() == 404) {
            return null;
        }
        denied(answer, pageUrl);
        if (!answer.ok()) {
            throw LookupFailed.http(answer.code(), "gcsweb answered HTTP " + answer.code() + " for "
                    + Redaction.url(pageUrl.toString()));
        }
        try {
            return GcswebListing.parse(answer.body(), pageUrl.toString());
        } catch (IllegalArgumentException e) {
            throw new LookupFailed("bad-answer", false, "gcsweb page " + Redaction.url(pageUrl.toString())
                    + " is " + TerminalText.oneLine(e.getMessage()), null);
        }
    }

    /** The content of a file, or empty when gcsweb answers 404. */
    public Optional<String> read(HttpUrl fileUrl, Deadline deadline) throws LookupFailed, NotServed {
        ArtifactsHttp.Answer answer = http.get(fileUrl, deadline);
        if (answer.code() == 404) {
            return Optional.empty();
        }
        denied(answer, fileUrl);
        if (!answer.ok()) {
            throw LookupFailed.http(answer.code(), "gcsweb answered HTTP " + answer.code() + " for "
                    + Redaction.url(fileUrl.toString()));
        }
        return Optional.of(answer.body());
    }

    /** 401/403 from gcsweb too: the artifacts are not public, asking again will not help. */
    private static void denied(ArtifactsHttp.Answer answer, HttpUrl url) throws NotServed {
        if (answer.code() == 401 || answer.code() == 403) {
            throw new NotServed(answer.code(), "gcsweb answered HTTP " + answer.code() + " for "
                    + Redaction.url(url.toString()));
        }
    }
}
