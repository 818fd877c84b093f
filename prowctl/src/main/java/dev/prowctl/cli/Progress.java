package dev.prowctl.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jline.terminal.impl.jni.JniTerminalProvider;
import org.jline.terminal.spi.SystemStream;

/**
 * The one progress indicator of every command: a line on stderr, redrawn in place ({@code \r}), shown only when
 * stderr is a terminal so that logs (Telegraf, CI) never fill with it, and whatever stdout is ({@code prowctl
 * scrape > runs.lp} on a terminal shows it). Redraws at most every 200 ms. Safe to update from several threads
 * (Grafana requests run in parallel).
 */
public final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastDraw;
    private int lastWidth;
    private boolean drawn;

    private Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** The progress line of a command: on {@code err}, the process's stderr, shown when that is a terminal. */
    public static Progress onStderr(PrintWriter err) {
        return new Progress(err, stderrIsTerminal());
    }

    /** A progress line on {@code err}; does nothing unless {@code terminal}. */
    static Progress of(PrintWriter err, boolean terminal) {
        return new Progress(err, terminal);
    }

    /**
     * Whether file descriptor 2 is a terminal: JLine's {@code isatty(2)} (the console API on Windows). Not
     * {@code System.console()}, which on Java 17 asks about stdin and stdout instead. Where JLine's native library
     * cannot load (a read-only or noexec temporary directory), the fallback reads what {@code /proc/self/fd/2}
     * points to (Linux): a {@code /dev/pts/N} or {@code /dev/ttyN} device; elsewhere no progress is shown.
     */
    static boolean stderrIsTerminal() {
        try {
            return new JniTerminalProvider().isSystemStream(SystemStream.Error);
        } catch (LinkageError | RuntimeException e) {
            return procLinkIsTerminal(Path.of("/proc/self/fd/2"));
        }
    }

    static boolean procLinkIsTerminal(Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Shows {@code label: done/total (pct%)}, or {@code label: done} when {@code total} is unknown (below 1). */
    public synchronized void update(String label, long done, long total) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        boolean complete = total > 0 && done >= total;
        if (drawn && !complete && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        String text = total > 0
                ? "%s: %d/%d (%d%%)".formatted(label, done, total, Math.min(100, done * 100 / total))
                : "%s: %d".formatted(label, done);
        String padding = " ".repeat(Math.max(0, lastWidth - text.length()));
        err.print("\r" + text + padding);
        err.flush();
        lastWidth = text.length();
        drawn = true;
    }

    /** Clears the line so that what follows on stderr starts at column 0. */
    public synchronized void finish() {
        if (terminal && drawn) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            drawn = false;
            lastWidth = 0;
        }
    }
}
