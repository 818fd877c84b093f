package dev.prowctl.scraper.flake;

/**
 * An artifacts lookup that could not tell this time (network error, 5xx or 429 after retries, a page that is not what
 * it should be, no artifacts where they should be). The run is never guessed: it is deferred to a later scrape or,
 * past the deferral bound, emitted as a {@code failure} with {@code flake_reason="undecided:<why>"}.
 */
public class LookupFailed extends Exception {
    private static final long serialVersionUID = 1L;

    /** The run's own artifacts were not found (404 for its directory, or its spyglass page). */
    public static final String NO_ARTIFACTS = "no-artifacts";

    private final String why;
    private final boolean lasting;

    public LookupFailed(String message) {
        this("lookup-failed", false, message, null);
    }

    public LookupFailed(String message, Throwable cause) {
        this("lookup-failed", false, message, cause);
    }

    /**
     * @param why     a short word for {@code undecided:<why>} ({@code http-503}, {@code unknown-host}, ...)
     * @param lasting true when asking again will not help by itself (unknown host, 401/403): the run is emitted
     *                as undecided at once instead of being left out
     */
    public LookupFailed(String why, boolean lasting, String message, Throwable cause) {
        super(message, cause);
        this.why = why;
        this.lasting = lasting;
    }

    /** An answer with an unexpected HTTP status; 401 and 403 (a login wall) do not go away by asking again. */
    static LookupFailed http(int code, String message) {
        return new LookupFailed("http-" + code, code == 401 || code == 403, message, null);
    }

    /** The run's artifacts are not where its spyglass URL says: a late upload, or the configured URLs are wrong. */
    static LookupFailed noArtifacts(String message) {
        return new LookupFailed(NO_ARTIFACTS, false, message, null);
    }

    /** The short reason, as in {@code flake_reason="undecided:<why>"}. */
    public String why() {
        return why;
    }

    /** True when the cause will not go away by itself. */
    public boolean lasting() {
        return lasting;
    }

    boolean noArtifacts() {
        return NO_ARTIFACTS.equals(why);
    }

    /** The overall deadline passed before the lookup could finish. */
    public static final class DeadlinePassed extends LookupFailed {
        private static final long serialVersionUID = 1L;

        public DeadlinePassed(String message) {
            super("deadline", false, message, null);
        }
    }
}
