package dev.prowctl.exporter;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the scrapes of this process went: for the {@code prowctl_scrape_*} and artifacts families and for
 * {@code /readyz}. Not persisted: a restarted exporter is ready only after its own first successful scrape, and
 * its error counters start again from zero (a reset {@code rate()} handles).
 */
final class ScrapeStatus {

    private Instant lastSuccess;
    private Duration lastDuration;
    private String lastError;
    private final Map<ScrapeError, Long> errors = new EnumMap<>(ScrapeError.class);
    private long artifactsRequests;

    ScrapeStatus() {
        for (ScrapeError reason : ScrapeError.values()) {
            errors.put(reason, 0L); // every reason from the start: rate() and increase() see the first error
        }
    }

    synchronized void succeeded(Instant at) {
        lastSuccess = at;
        lastError = null;
    }

    synchronized void failed(ScrapeError reason, String message) {
        errors.merge(reason, 1L, Long::sum);
        lastError = message;
    }

    synchronized void took(Duration duration) {
        lastDuration = duration;
    }

    synchronized void artifactsRequests(long requests) {
        artifactsRequests += requests;
    }

    synchronized Instant lastSuccess() {
        return lastSuccess;
    }

    synchronized Duration lastDuration() {
        return lastDuration;
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized Map<ScrapeError, Long> errors() {
        return new EnumMap<>(errors);
    }

    synchronized long artifactsRequests() {
        return artifactsRequests;
    }
}
