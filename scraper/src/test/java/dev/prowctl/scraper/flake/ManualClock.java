package dev.prowctl.scraper.flake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;

/** The classifier's clock in tests: it moves when a test (or the fake server) says so, or when a retry waits. */
final class ManualClock implements TimeSource, Sleeper {

    private final AtomicLong nanos = new AtomicLong();
    /** What {@link #now} says when no time has passed yet (the epoch unless a test sets a realistic date). */
    private volatile Instant wallClockStart = Instant.EPOCH;
    /** Every wait between two attempts, in order. */
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    /** Sets the wall-clock time of this moment (the monotonic time does not move). */
    void wallClockAt(Instant now) {
        wallClockStart = now.minusNanos(nanos.get());
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return wallClockStart.plusNanos(nanos.get());
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        advance(duration);
    }
}
