package dev.prowctl.scraper.prow;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import dev.prowctl.http.ProgressListener;

/** Reports how many bytes were read so far, for a progress line. */
final class CountingInputStream extends FilterInputStream {

    private final long total;
    private final ProgressListener listener;
    private long done;

    CountingInputStream(InputStream in, long total, ProgressListener listener) {
        super(in);
        this.total = total;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        advance(skipped);
        return skipped;
    }

    private void advance(long n) {
        done += n;
        listener.update(done, total);
    }
}
