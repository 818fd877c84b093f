package dev.prowctl.scraper.prow;

import dev.prowctl.http.Redaction;
import okhttp3.HttpUrl;

/**
 * A deck page URL as a user copies it from the browser ({@code https://prow.ci.openshift.org/?job=*oadp*}): the
 * deck base (scheme, host and path, minus a trailing file name such as {@code index.html}) and the page's filters.
 *
 * @param base   the deck base, always ending in {@code /}
 * @param filter the filters found in the query
 */
public record DeckUrl(HttpUrl base, JobFilter filter) {

    /** OpenShift CI's deck, filtered on OADP jobs: the original tool's default. */
    public static final String DEFAULT = "https://prow.ci.openshift.org/?job=*oadp*";

    /**
     * Parses a page URL; throws {@link IllegalArgumentException} naming the problem (never the URL's secrets) when it
     * is not an http(s) URL or carries a user or password: deck takes no credentials, and every stored
     * {@code prowjob_url} is built from this base, so they would end up in InfluxDB.
     */
    public static DeckUrl parse(String pageUrl) {
        HttpUrl url = HttpUrl.parse(pageUrl.trim());
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + Redaction.url(pageUrl));
        }
        if (!url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty()) {
            throw new IllegalArgumentException("a user or password in the deck URL (" + Redaction.url(pageUrl)
                    + ") would be copied into every stored link, and deck takes none: for a deck behind a login,"
                    + " save prowjobs.js with a tool that can log in and use --prowjobs-file");
        }
        HttpUrl.Builder base = url.newBuilder().query(null).fragment(null);
        String last = url.pathSegments().get(url.pathSegments().size() - 1);
        if (last.contains(".")) {
            // a file name (index.html, prowjobs.js): deck lives in its directory
            base.removePathSegment(url.pathSize() - 1).addPathSegment("");
        } else if (!last.isEmpty()) {
            // a path without trailing slash (a deck served under /deck): the path is the directory
            base.addPathSegment("");
        }
        JobFilter filter = new JobFilter(url.queryParameter("job"), url.queryParameter("type"),
                url.queryParameter("state"), url.queryParameter("repo"), url.queryParameter("pull"),
                url.queryParameter("author"), url.queryParameter("cluster"));
        return new DeckUrl(base.build(), filter);
    }

    /** {@code <base>prowjobs.js?omit=annotations,decoration_config}: everything scrape reads, in one request. */
    public HttpUrl prowjobsUrl() {
        return base.newBuilder().addPathSegment("prowjobs.js")
                .addEncodedQueryParameter("omit", "annotations,decoration_config").build();
    }

    /** {@code <base>prowjob?prowjob=<name>}: the ProwJob YAML page. */
    public String prowjobPage(String prowjobName) {
        // built by hand: called once per run, and ProwJob names are UUIDs that need no encoding
        String value = isUnreserved(prowjobName) ? prowjobName
                : java.net.URLEncoder.encode(prowjobName, java.nio.charset.StandardCharsets.UTF_8);
        return base + "prowjob?prowjob=" + value;
    }

    private static boolean isUnreserved(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
