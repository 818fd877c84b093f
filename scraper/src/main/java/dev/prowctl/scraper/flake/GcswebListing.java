package dev.prowctl.scraper.flake;

import java.util.ArrayList;
import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * One page of a gcsweb directory listing: {@code <ul class="resource-grid">} with one {@code li.grid-row} per entry,
 * the name in {@code div.pure-u-2-5 > a} (directories end with {@code /}, the first row is {@code ..}), and an
 * {@code a.next-button} to the next page when the directory is long.
 *
 * @param entries     the entries of this page, without {@code ..}
 * @param nextPageUrl the absolute URL of the next page, or {@code null} on the last page
 */
public record GcswebListing(List<Entry> entries, String nextPageUrl) {

    /** @param name file name, or directory name ending with {@code /}; {@code size} and {@code modified} as shown */
    public record Entry(String name, String size, String modified) {
        public boolean directory() {
            return name.endsWith("/");
        }
    }

    /**
     * Parses a listing page.
     *
     * @param pageUrl the page's own URL, to resolve the relative next-page link
     * @throws IllegalArgumentException when the page is not a gcsweb listing (no {@code ul.resource-grid})
     */
    public static GcswebListing parse(String html, String pageUrl) {
        Document doc = Jsoup.parse(html, pageUrl);
        if (doc.selectFirst("ul.resource-grid") == null) {
            String title = doc.title().isBlank() ? "no title" : "title \"" + doc.title().strip() + "\"";
            throw new IllegalArgumentException("not a gcsweb directory listing (no ul.resource-grid, " + title + ")");
        }
        List<Entry> entries = new ArrayList<>();
        for (Element link : doc.select("li.grid-row div.pure-u-2-5 > a")) {
            String name = link.text().strip();
            if (name.isEmpty() || name.equals("..")) {
                continue;
            }
            Element row = link.closest("li");
            List<String> cells = row == null ? List.of() : row.select("> div").eachText();
            String size = cells.size() > 1 ? cells.get(1) : "-";
            String modified = cells.size() > 2 ? cells.get(2) : "-";
            entries.add(new Entry(name, size, modified));
        }
        Element next = doc.selectFirst("a.next-button[href]");
        String nextUrl = next == null ? null : next.absUrl("href");
        return new GcswebListing(List.copyOf(entries), nextUrl == null || nextUrl.isEmpty() ? null : nextUrl);
    }

    /** True when this page lists a file with exactly this name. */
    public boolean hasFile(String fileName) {
        return entries.stream().anyMatch(e -> e.name().equals(fileName));
    }
}
