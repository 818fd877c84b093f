package dev.prowctl.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A buffered UTF-8 {@link Writer} for stdout that encodes each String in one {@link String#getBytes} call. The
 * JDK's {@code BufferedWriter} + {@code OutputStreamWriter} widen every String to chars and encode them back one
 * by one, and without C2 (the launcher runs C1 only, which has no intrinsics for those loops) that was a quarter
 * of the CPU of a large scrape. A high surrogate at the end of one write is held until the next, so a pair split
 * across calls is still encoded as one character.
 */
final class Utf8StdoutWriter extends Writer {

    private final OutputStream out;
    private final byte[] buffer;
    private int count;
    private char pendingHighSurrogate;
    private IOException failure;

    Utf8StdoutWriter(OutputStream out, int bufferSize) {
        this.out = out;
        this.buffer = new byte[bufferSize];
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        if (length <= 0) {
            return;
        }
        int end = offset + length;
        if (pendingHighSurrogate != 0) {
            String withPending = pendingHighSurrogate + text.substring(offset, end);
            pendingHighSurrogate = 0;
            write(withPending, 0, withPending.length());
            return;
        }
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            pendingHighSurrogate = text.charAt(end - 1);
            end--;
        }
        String part = offset == 0 && end == text.length() ? text : text.substring(offset, end);
        writeBytes(part.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        write(new String(chars, offset, length), 0, length);
    }

    @Override
    public void write(int c) throws IOException {
        write(String.valueOf((char) c), 0, 1);
    }

    private void writeBytes(byte[] bytes) throws IOException {
        if (bytes.length > buffer.length - count) {
            flushBuffer();
            if (bytes.length > buffer.length) {
                writeOut(bytes, bytes.length);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, count, bytes.length);
        count += bytes.length;
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            try {
                writeOut(buffer, count);
            } finally {
                count = 0;
            }
        }
    }

    /** Writes through; after the first failure nothing more is tried (and that failure is thrown again). */
    private void writeOut(byte[] bytes, int length) throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            out.write(bytes, 0, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** The first write error, or null. (A PrintWriter over this writer swallows it.) */
    IOException failure() {
        return failure;
    }

    /** Writes what is buffered; a high surrogate still waiting for its pair stays (see {@link #close}). */
    @Override
    public void flush() throws IOException {
        flushBuffer();
        if (failure == null) {
            out.flush();
        }
    }

    /** A lone high surrogate left at the end is written as {@code ?}, as the JDK's encoder does. */
    @Override
    public void close() throws IOException {
        if (pendingHighSurrogate != 0) {
            pendingHighSurrogate = 0;
            writeBytes(new byte[] {'?'});
        }
        flush();
        out.close();
    }
}
