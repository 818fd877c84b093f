package dev.prowctl.exporter;

import java.util.Locale;

import dev.prowctl.scraper.pipeline.ScrapeException;
import dev.prowctl.scraper.prow.DeckException;
import dev.prowctl.scraper.prow.PayloadException;

/** The {@code reason} label of {@code prowctl_scrape_errors_total}: a short, fixed set, so series stay bounded. */
public enum ScrapeError {
    /** Deck could not be reached or timed out. */
    DECK_UNREACHABLE,
    /** Deck answered with an HTTP error. */
    DECK_HTTP,
    /** The payload was not a ProwJob list (HTML, malformed JSON, truncated, not gzip). */
    PAYLOAD,
    /** The {@code --prowjobs-file} could not be read. */
    FILE_UNREADABLE,
    /** Artifacts lookups failed: failed runs were deferred to a later scrape (the scrape itself succeeded). */
    ARTIFACTS,
    /** The state file could not be written (the counts are kept in memory and saved by the next scrape). */
    STATE_WRITE,
    /** Anything else: a bug; the message goes to stderr. */
    INTERNAL;

    /** The label value, e.g. {@code deck_unreachable}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason for a failed scrape. */
    static ScrapeError of(Exception e) {
        if (e instanceof DeckException) {
            return DECK_HTTP;
        }
        if (e instanceof PayloadException) {
            return PAYLOAD;
        }
        if (e instanceof ScrapeException scrape) {
            return scrape.reason() == ScrapeException.Reason.UNREACHABLE ? DECK_UNREACHABLE : FILE_UNREADABLE;
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return FILE_UNREADABLE;
        }
        return e instanceof java.io.IOException ? DECK_UNREACHABLE : INTERNAL;
    }
}
