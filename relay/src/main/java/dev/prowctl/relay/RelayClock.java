package dev.prowctl.relay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The relay's time for pacing, reconnect backoff and retry waits. Injected so that tests run these on a virtual
 * clock (fast and deterministic) instead of waiting in real time; production uses {@link #SYSTEM}. Timeouts that
 * only guard against a silent server (no PONG, no JOIN) stay on real time.
 */
public interface RelayClock {

    /** Nanoseconds on a monotonic scale, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits for {@code duration}; interruptible. */
    void sleep(Duration duration) throws InterruptedException;

    /** Real time. */
    RelayClock SYSTEM = new RelayClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }
    };
}
