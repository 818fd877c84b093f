package dev.prowctl.scraper.pipeline;

import java.io.IOException;

/**
 * A source or sink of the scrape failed for a reason that concerns the whole scrape. The message names what failed
 * (the deck URL, the file, the InfluxDB URL), so a caller can show it as it is.
 */
public final class ScrapeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the scrape failed. */
    public enum Reason {
        /** A server could not be reached, or fell silent for longer than the timeout. */
        UNREACHABLE,
        /** A local file exists but could not be read (a directory, no permission, a disk error). */
        UNREADABLE
    }

    private final Reason reason;

    public ScrapeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
