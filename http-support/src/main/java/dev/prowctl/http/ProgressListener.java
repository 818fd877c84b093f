package dev.prowctl.http;

/**
 * How long work reports how far it got: bytes of a payload read, lines written to InfluxDB, Grafana resources
 * exported. One shape for every library, so the CLI connects each to its one progress line the same way.
 */
@FunctionalInterface
public interface ProgressListener {
    /** For callers that show no progress. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} units; {@code total} is below 1 when unknown. */
    void update(long done, long total);
}
