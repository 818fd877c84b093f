package dev.prowctl.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A virtual {@link RelayClock} for tests, in one of two modes. Manual: a sleeper waits until the test moves the time
 * past its wake-up ({@link #advanceWhenAsleep}), so a test decides exactly when a reconnect happens, or lets a
 * backlog build up while the relay waits for its pace. Advancing on sleep: a sleep moves the time forward at once,
 * so pacing runs at full speed and the test can still check the virtual time it took.
 */
final class FakeClock implements RelayClock {
    private boolean advanceOnSleep;
    private long now;
    /** When each current sleeper wakes up. */
    private final List<Long> wakeTimes = new ArrayList<>();

    private FakeClock(boolean advanceOnSleep) {
        this.advanceOnSleep = advanceOnSleep;
    }

    static FakeClock manual() {
        return new FakeClock(false);
    }

    static FakeClock advancingOnSleep() {
        return new FakeClock(true);
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) throws InterruptedException {
        long wake = now + duration.toNanos();
        if (advanceOnSleep) {
            now = Math.max(now, wake);
            return;
        }
        Long entry = wake;
        wakeTimes.add(entry);
        notifyAll();
        try {
            while (now < wake) {
                wait();
            }
        } finally {
            wakeTimes.remove(entry);
        }
    }

    /**
     * Waits (up to 10 s of real time) until a thread sleeps on this clock, then moves the time forward: the sleeper
     * cannot miss the step by starting its sleep just after it.
     */
    synchronized void advanceWhenAsleep(Duration step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wakeTimes.stream().noneMatch(wake -> wake > now)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("nobody slept on the clock within 10 s");
            }
            wait(left);
        }
        now += step.toNanos();
        notifyAll();
    }

    /** Switches a manual clock to advancing on sleep; whoever sleeps now wakes up at once. */
    synchronized void startAdvancingOnSleep() {
        advanceOnSleep = true;
        now = Math.max(now, wakeTimes.stream().mapToLong(Long::longValue).max().orElse(now));
        notifyAll();
    }

    /** Virtual time since the clock was made. */
    synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }
}
