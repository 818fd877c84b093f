package dev.prowctl.relay;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Status lines on stderr, one per event, prefixed with the time. Never given secrets. */
public final class RelayLog {
    private final PrintWriter err;
    private final boolean verbose;

    public RelayLog(PrintWriter err, boolean verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    public boolean verbose() {
        return verbose;
    }

    public void info(String message) {
        synchronized (err) {
            err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " relay: " + message);
            err.flush();
        }
    }

    public void debug(String message) {
        if (verbose) {
            info(message);
        }
    }
}
