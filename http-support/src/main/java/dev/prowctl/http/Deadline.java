package dev.prowctl.http;

import java.time.Duration;

/** A point in time by which a piece of work must be over, on an injected {@link TimeSource}. */
public final class Deadline {

    /** No deadline: never passes. */
    public static final Deadline NONE = new Deadline(null, 0);

    /** What {@link #remaining()} says when there is no deadline (about 292 years: adding to it cannot overflow). */
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE / 2);

    private final TimeSource time;
    private final long endNanos;

    private Deadline(TimeSource time, long endNanos) {
        this.time = time;
        this.endNanos = endNanos;
    }

    /** The deadline {@code duration} from now. */
    public static Deadline after(Duration duration, TimeSource time) {
        return new Deadline(time, time.nanoTime() + duration.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        if (time == null) {
            return FOREVER;
        }
        return Duration.ofNanos(Math.max(0, endNanos - time.nanoTime()));
    }

    public boolean passed() {
        return time != null && endNanos - time.nanoTime() <= 0;
    }
}
