package dev.prowctl.scraper.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * Encoding is most of a sink's work, so chunks of runs are encoded on all cores, a window of chunks at a time (which
 * keeps memory bounded), and handed on in order.
 */
final class ChunkedEncoding {

    /** Runs encoded per task, and per window of tasks. */
    static final int CHUNK = 256;
    static final int WINDOW = 4096;

    /** Receives each encoded chunk, in run order. */
    @FunctionalInterface
    interface ChunkConsumer<T> {
        void accept(T chunk) throws IOException;
    }

    private ChunkedEncoding() {
    }

    static <T> void encode(List<ProwRun> runs, Function<List<ProwRun>, T> encodeChunk, ChunkConsumer<T> inOrder)
            throws IOException {
        for (int from = 0; from < runs.size(); from += WINDOW) {
            List<ProwRun> window = runs.subList(from, Math.min(runs.size(), from + WINDOW));
            List<T> chunks = IntStream.range(0, (window.size() + CHUNK - 1) / CHUNK).parallel()
                    .mapToObj(i -> encodeChunk.apply(window.subList(i * CHUNK,
                            Math.min(window.size(), (i + 1) * CHUNK))))
                    .toList();
            for (T chunk : chunks) {
                inOrder.accept(chunk);
            }
        }
    }

    /** Appends one run's encoding; encoders write to a StringBuilder, which does not throw. */
    static void append(dev.prowctl.scraper.output.RunEncoder encoder, ProwRun run, StringBuilder text) {
        try {
            encoder.write(run, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
