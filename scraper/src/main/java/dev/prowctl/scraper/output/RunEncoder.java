package dev.prowctl.scraper.output;

import java.io.IOException;

import dev.prowctl.scraper.prow.ProwRun;

/** Writes one run in an output format. Every call writes complete lines (ending in LF), never part of one. */
public interface RunEncoder {

    void write(ProwRun run, Appendable out) throws IOException;

    /** The encoder for a format name ({@code influx}, {@code json}, {@code human}). */
    static RunEncoder of(Format format, String measurement) {
        return switch (format) {
            case INFLUX -> new LineProtocol(measurement);
            case JSON -> new JsonLines();
            case HUMAN -> new HumanText();
        };
    }

    /** The output formats of {@code prowctl scrape -o}. */
    enum Format { INFLUX, JSON, HUMAN }
}
