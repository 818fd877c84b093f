package dev.prowctl.scraper.prow;

import java.io.IOException;

/** Deck answered {@code prowjobs.js} with an HTTP error that retries did not cure. */
public final class DeckException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public DeckException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the last attempt. */
    public int status() {
        return status;
    }
}
