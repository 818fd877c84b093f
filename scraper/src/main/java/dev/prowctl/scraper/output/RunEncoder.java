package dev.prowctl.scraper.output;

import java.io.IOException;
import java.util.List;

import dev.prowctl.scraper.prow.ProwRun;

/** Writes one run in an output format. Every call writes complete lines (ending in LF), never part of one. */
public interface RunEncoder {

    void write(ProwRun run, Appendable out) throws IOException;

    /**
     * False for a format whose output is one document over all runs (OpenMetrics: families grouped, series in time
     * order), which cannot be the concatenation of per-run pieces: a sink then calls {@link #writeAll} once.
     */
    default boolean perRun() {
        return true;
    }

    /** Writes every run; for a per-run format, each run in turn. */
    default void writeAll(List<ProwRun> runs, Appendable out) throws IOException {
        for (ProwRun run : runs) {
            write(run, out);
        }
    }

    /** The encoder for a format name ({@code influx}, {@code json}, {@code human}, {@code openmetrics}). */
    static RunEncoder of(Format format, String measurement) {
        return switch (format) {
            case INFLUX -> new LineProtocol(measurement);
            case JSON -> new JsonLines();
            case HUMAN -> new HumanText();
            case OPENMETRICS -> new OpenMetrics();
        };
    }

    /** The output formats of {@code prowctl scrape -o}. */
    enum Format { INFLUX, JSON, HUMAN, OPENMETRICS }
}
