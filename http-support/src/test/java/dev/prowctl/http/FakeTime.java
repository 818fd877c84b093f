package dev.prowctl.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when something sleeps on it; it records every sleep. */
final class FakeTime implements TimeSource, Sleeper {

    static final Instant START = Instant.parse("2026-12-01T03:00:00Z");

    private volatile long nanos;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return START.plusNanos(nanos);
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        advance(duration);
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
    }
}
