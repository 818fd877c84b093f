package dev.prowctl.relay;

import java.time.Duration;

/**
 * Paces IRC lines as a token bucket: a burst, then a steady rate, to stay under a server's flood control (ngIRCd
 * lets about 10 lines through at once, then 3-4 per second). Kept apart from the connection so that the rate can be
 * tested on a virtual {@link RelayClock}.
 */
final class LinePacer {
    /** Shortest wait, so that a nearly full token does not turn into a busy loop. */
    private static final Duration MIN_WAIT = Duration.ofMillis(1);

    private final double perSecond;
    private final int burst;
    private final RelayClock clock;
    private double tokens;
    private long last;

    LinePacer(double perSecond, int burst, RelayClock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.nanoTime();
    }

    /** Lines that may go out now without waiting. */
    synchronized int available() {
        refill();
        return (int) tokens;
    }

    /** Waits until one more line may go out, and takes its token. */
    synchronized void acquire() throws InterruptedException {
        refill();
        while (tokens < 1) {
            Duration wait = Duration.ofNanos((long) ((1 - tokens) / perSecond * 1e9));
            clock.sleep(wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait);
            refill();
        }
        tokens -= 1;
    }

    /**
     * Takes a token only when more than {@code reserve} are left: for lines (the bot's answers) that must never
     * make the next alert wait.
     */
    synchronized boolean tryAcquireAbove(int reserve) {
        refill();
        if (tokens < reserve + 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void refill() {
        long now = clock.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
    }
}
