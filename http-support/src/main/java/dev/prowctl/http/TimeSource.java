package dev.prowctl.http;

import java.time.Instant;

/** The time retries and deadlines read: monotonic for measuring, wall-clock for a {@code Retry-After} date. */
public interface TimeSource {

    /** Nanoseconds from an arbitrary origin that never jumps (as {@link System#nanoTime()}). */
    long nanoTime();

    /** The current instant (for {@code Retry-After: <HTTP-date>}). */
    Instant now();

    /** The machine's clocks. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}
