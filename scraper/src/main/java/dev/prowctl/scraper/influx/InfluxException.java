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

    public Reason reason() {
        return reason;
    }
}
