package dev.prowctl.scraper.influx;

import java.io.IOException;

/** InfluxDB refused a write for a reason that concerns the whole scrape (not one line). */
public final class InfluxException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the write failed. */
    public enum Reason {
        /** 401/403: missing or wrong credentials. */
        AUTH,
        /** 404: the database or bucket does not exist. */
        NOT_FOUND,
        /** 404 on the endpoint itself: a 1.x server before 1.8 has no /api/v2/write. */
        UNSUPPORTED,
        /** Any other error status, after retries for 5xx. */
        SERVER_ERROR
    }

    private final Reason reason;

    public InfluxException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The same failure, saying that {@code written} of {@code total} points were stored before it. */
    public InfluxException after(int written, int total) {
        InfluxException later = new InfluxException(reason, getMessage() + " (" + written + " of " + total
                + " points were written before)");
        later.setStackTrace(getStackTrace());
        return later;
    }

    public Reason reason() {
        return reason;
    }
}
