package dev.prowctl.cli;

import java.io.PrintWriter;

/**
 * The one progress indicator of every command: a line on stderr, redrawn in place ({@code \r}), shown only when
 * stderr is a terminal so that logs (Telegraf, CI) never fill with it. Redraws at most every 200 ms. Safe to update
 * from several threads (Grafana requests run in parallel).
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

    /** A progress line on {@code err}; does nothing unless {@code terminal} (use {@code System.console() != null}). */
    public static Progress of(PrintWriter err, boolean terminal) {
        return new Progress(err, terminal);
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
