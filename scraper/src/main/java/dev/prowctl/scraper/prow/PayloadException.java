package dev.prowctl.scraper.prow;

import java.io.IOException;

/** A {@code prowjobs.js} payload that cannot be read: not JSON (an HTML page), malformed, or cut short. */
public final class PayloadException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the payload. */
    public enum Problem { HTML, MALFORMED, TRUNCATED }

    private final Problem problem;

    public PayloadException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
