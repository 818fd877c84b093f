package dev.prowctl.scraper.flake;

import java.time.Duration;

/** The point in time by which every lookup of one classification must be over ({@code --deadline}). */
final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    /** Time left, never negative. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** Throws when the deadline passed, naming what was about to happen. */
    void check(String what) throws LookupFailed.DeadlinePassed {
        if (passed()) {
            throw new LookupFailed.DeadlinePassed("deadline passed before " + what);
        }
    }
}
