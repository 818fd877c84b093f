package dev.prowctl.scraper.flake;

import java.util.Optional;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * The links of a deck spyglass page ({@code status.url}), for decks whose gcsweb prefix is unknown. Deck's
 * {@code #links-card} lists Job History, Prow Job YAML, PR History, PR, Artifacts and Testgrid, each only when
 * present (the YAML and PR links vanish once the job left deck's cache), so links are chosen by their text, never by
 * position. Each value is an absolute URL, or {@code null} when the page has no such link.
 */
public record SpyglassLinks(String artifacts, String prowjobYaml, String pullRequest, String jobHistory,
                            String prHistory) {

    /**
     * Parses a spyglass page.
     *
     * @param baseUrl the page's URL, to make deck's relative links ({@code /prowjob?prowjob=...}) absolute
     */
    public static SpyglassLinks parse(String html, String baseUrl) {
        Document doc = Jsoup.parse(html, baseUrl);
        return of(doc, doc.getElementById("links-card"));
    }

    /**
     * The links of a page that has deck's {@code #links-card}, or empty for any other page (a login page of a proxy,
     * an error page): such a page says nothing about the run's artifacts.
     */
    public static Optional<SpyglassLinks> parseSpyglassPage(String html, String baseUrl) {
        Document doc = Jsoup.parse(html, baseUrl);
        Element card = doc.getElementById("links-card");
        return card == null ? Optional.empty() : Optional.of(of(doc, card));
    }

    private static SpyglassLinks of(Document doc, Element card) {
        Elements links = (card != null ? card : doc).select("a[href]");
        return new SpyglassLinks(
                byText(links, "Artifacts"),
                byText(links, "Prow Job YAML"),
                byText(links, "PR"),
                byText(links, "Job History"),
                byText(links, "PR History"));
    }

    public Optional<String> artifactsLink() {
        return Optional.ofNullable(artifacts);
    }

    private static String byText(Elements links, String text) {
        for (Element link : links) {
            if (link.text().strip().equalsIgnoreCase(text)) {
                String url = link.absUrl("href");
                return url.isEmpty() ? link.attr("href") : url;
            }
        }
        return null;
    }
}
