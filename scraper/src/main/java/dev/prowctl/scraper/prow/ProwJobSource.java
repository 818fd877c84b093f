package dev.prowctl.scraper.prow;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Where the ProwJobs of one scrape come from: deck over HTTP, or a saved payload file. */
public interface ProwJobSource {

    /** Receives download progress: bytes read so far and the total, or -1 when unknown. */
    interface Progress {
        Progress NONE = (done, total) -> { };

        void bytesRead(long done, long total);
    }

    /** Streams every usable ProwJob to {@code sink}. */
    ProwJobReader.Summary read(Consumer<ProwJob> sink, Progress progress) throws IOException;

    /** A saved {@code prowjobs.js} payload (either form; gzip-compressed files are recognised by their magic bytes). */
    static ProwJobSource file(Path file) {
        return (sink, progress) -> {
            if (!isGzip(file)) {
                return ProwJobReader.readFile(file, sink, progress::bytesRead);
            }
            long size = Files.size(file);
            try (InputStream raw = new CountingInputStream(Files.newInputStream(file), size, progress::bytesRead);
                 InputStream in = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
                return ProwJobReader.read(in, file.toString(), sink);
            }
        };
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}
