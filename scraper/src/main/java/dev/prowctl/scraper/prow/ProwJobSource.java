package dev.prowctl.scraper.prow;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import dev.prowctl.http.ProgressListener;

/** Where the ProwJobs of one scrape come from: deck over HTTP, or a saved payload file. */
public interface ProwJobSource {

    /** Streams every usable ProwJob to {@code sink}. */
    ProwJobReader.Summary read(Consumer<ProwJob> sink, ProgressListener progress) throws IOException;

    /**
     * A saved {@code prowjobs.js} payload (either form; gzip-compressed files are recognised by their magic bytes).
     * A plain regular file may be read in two halves at once ({@link ProwJobReader#readFile}); a pipe such as
     * {@code /dev/stdin} or {@code <(zcat f.gz)} is read once, as a stream.
     */
    static ProwJobSource file(Path file) {
        return (sink, progress) -> {
            if (Files.isRegularFile(file) && !startsWithGzipMagic(file)) {
                return ProwJobReader.readFile(file, sink, progress);
            }
            boolean regular = Files.isRegularFile(file);
            long size = regular ? Files.size(file) : -1;
            // a pipe through FileInputStream: the NIO stream asks a pipe for its position ("Illegal seek")
            InputStream opened = regular || !Files.exists(file) ? Files.newInputStream(file)
                    : new FileInputStream(file.toFile());
            try (InputStream raw = new CountingInputStream(opened, size, progress);
                 InputStream in = maybeGunzip(raw)) {
                return ProwJobReader.read(in, file.toString(), sink);
            }
        };
    }

    private static boolean startsWithGzipMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The stream, uncompressed when it starts with gzip's magic bytes (sniffed without losing them). */
    private static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
