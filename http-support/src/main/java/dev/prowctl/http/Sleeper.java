package dev.prowctl.http;

import java.time.Duration;

/** Waits between two attempts; a test injects one that only records the wait (and moves its clock on). */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper system() {
        return SystemTime.INSTANCE;
    }
}
