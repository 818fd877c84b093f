package dev.prowctl.http;

import java.time.Duration;
import java.time.Instant;

/** The real clocks and {@link Thread#sleep}. */
final class SystemTime implements TimeSource, Sleeper {

    static final SystemTime INSTANCE = new SystemTime();

    private SystemTime() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }
}
