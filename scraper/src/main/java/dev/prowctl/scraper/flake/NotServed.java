package dev.prowctl.scraper.flake;

/**
 * The GCS JSON API refused the bucket (401, 403, or 404 for a bucket it does not serve anonymously): the lookup
 * falls back to gcsweb.
 */
public final class NotServed extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    public NotServed(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    static boolean isFallbackCode(int code) {
        return code == 401 || code == 403 || code == 404;
    }
}
