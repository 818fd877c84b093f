package dev.prowctl.scraper.pipeline;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.scraper.output.RunEncoder;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * Prints the runs through an encoder (line protocol, JSON lines, text: chunks encoded in parallel, in run order;
 * OpenMetrics: one document over all runs).
 */
public final class PrintSink implements RunSink {

    private final Writer out;
    private final RunEncoder encoder;

    public PrintSink(Writer out, RunEncoder encoder) {
        this.out = out;
        this.encoder = encoder;
    }

    @Override
    public Outcome accept(List<ProwRun> runs, ProgressListener progress) throws IOException {
        if (encoder.perRun()) {
            ChunkedEncoding.encode(runs, this::encode, out::write);
        } else {
            encoder.writeAll(runs, out);
        }
        out.flush();
        return new Outcome(runs.size(), List.of());
    }

    private String encode(List<ProwRun> chunk) {
        StringBuilder text = new StringBuilder(chunk.size() * 1024);
        for (ProwRun run : chunk) {
            ChunkedEncoding.append(encoder, run, text);
        }
        return text.toString();
    }
}
