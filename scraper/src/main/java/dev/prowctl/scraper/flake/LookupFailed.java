package dev.prowctl.scraper.flake;

/**
 * An artifacts lookup that could not be completed this time (network error, 5xx or 429 after retries, a page that
 * is not what it should be). The run is deferred to the next scrape, never guessed.
 */
public class LookupFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public LookupFailed(String message) {
        super(message);
    }

    public LookupFailed(String message, Throwable cause) {
        super(message, cause);
    }

    /** The overall deadline passed before the lookup could finish. */
    public static final class DeadlinePassed extends LookupFailed {
        private static final long serialVersionUID = 1L;

        public DeadlinePassed(String message) {
            super(message);
        }
    }
}
