package dev.prowctl.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * The one retry rule of prowctl's HTTP clients. An attempt is asked again when its answer is transient (408, 429,
 * 5xx) or it failed with an {@link IOException} other than an unknown host, up to {@code attempts} in total. Between
 * two attempts it waits what the server asked for ({@code Retry-After}, seconds or HTTP-date) or else the backoff
 * ({@code firstBackoff} doubling), with "equal jitter" (half fixed, half random) so that workers hitting the same 503
 * do not come back in lock-step; either wait is capped at {@code maxDelay}. With a {@link Deadline} it stops as soon
 * as the next wait would reach past it.
 *
 * <p>The caller decides what a final answer means: {@link #call} hands back the first answer that is not worth
 * retrying, or the last one when the attempts are used up. Thread-safe.
 */
public final class Retry {

    /** One try: sends the request and returns the reply (the caller closes a final one, this class the others). */
    @FunctionalInterface
    public interface Attempt<R extends Closeable> {
        R send() throws IOException;
    }

    /** The final reply and how many attempts it took (for messages such as "after 3 attempts"). */
    public record Answer<R>(R reply, int attempts) {
    }

    /** The deadline came before an attempt could start or before the next one would. */
    public static final class DeadlineReached extends IOException {
        private static final long serialVersionUID = 1L;

        private final String lastProblem;

        DeadlineReached(String lastProblem) {
            super(lastProblem == null ? "deadline passed before the first attempt"
                    : "deadline passed while retrying (last: " + lastProblem + ")");
            this.lastProblem = lastProblem;
        }

        /** What the last attempt ran into ("HTTP 503", "SocketTimeoutException: timeout"), or null if none ran. */
        public String lastProblem() {
            return lastProblem;
        }
    }

    private final int attempts;
    private final Duration firstBackoff;
    private final Duration maxDelay;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /** Retries on the machine's clock, really sleeping. */
    public Retry(int attempts, Duration firstBackoff, Duration maxDelay) {
        this(attempts, firstBackoff, maxDelay, TimeSource.system(), Sleeper.system(), new Random());
    }

    /**
     * @param attempts     how many times to try in total (at least 1)
     * @param firstBackoff the backoff before the second attempt; doubled for each further one
     * @param maxDelay     the longest wait between two attempts, a server's {@code Retry-After} included
     * @param random       draws the jitter (shared by threads: {@link Random} is thread-safe)
     */
    public Retry(int attempts, Duration firstBackoff, Duration maxDelay, TimeSource time, Sleeper sleeper,
                 RandomGenerator random) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        if (firstBackoff.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("backoff and delay must not be negative");
        }
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        this.maxDelay = maxDelay;
        this.time = time;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** A single attempt: for requests that must not be sent twice. */
    public static Retry never() {
        return new Retry(1, Duration.ZERO, Duration.ZERO);
    }

    public int attempts() {
        return attempts;
    }

    /** True for the answers worth asking again: 408, 429 and every 5xx. */
    public static boolean transientStatus(int code) {
        return code == 408 || code == 429 || code >= 500;
    }

    /**
     * Runs {@code attempt} until its answer is final.
     *
     * @param status     the status code of a reply
     * @param retryAfter the reply's {@code Retry-After} header, or null
     * @return the first answer that is not transient, or the last one when the attempts are used up
     * @throws DeadlineReached when the deadline passed before an attempt or the next wait would reach past it
     * @throws IOException     the last attempt's failure, or at once an unknown host, a failure after the deadline
     *                         passed, or an interrupt (while waiting: {@link InterruptedIOException})
     */
    public <R extends Closeable> Answer<R> call(Attempt<R> attempt, ToIntFunction<R> status,
                                                Function<R, String> retryAfter, Deadline deadline)
            throws IOException {
        String problem = null;
        for (int n = 1; ; n++) {
            if (deadline.passed()) {
                throw new DeadlineReached(problem);
            }
            Duration wait;
            try {
                R reply = attempt.send();
                int code = status.applyAsInt(reply);
                if (!transientStatus(code) || n >= attempts) {
                    return new Answer<>(reply, n);
                }
                try (reply) {
                    problem = "HTTP " + code;
                    wait = serverWait(retryAfter.apply(reply), n);
                }
            } catch (IOException e) {
                if (n >= attempts || !worthRetrying(e) || deadline.passed()) {
                    throw e;
                }
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = backoff(n);
            }
            if (wait.compareTo(deadline.remaining()) >= 0) {
                throw new DeadlineReached(problem);
            }
            pause(wait);
        }
    }

    /** Without a deadline. */
    public <R extends Closeable> Answer<R> call(Attempt<R> attempt, ToIntFunction<R> status,
                                                Function<R, String> retryAfter) throws IOException {
        return call(attempt, status, retryAfter, Deadline.NONE);
    }

    /** The jittered backoff before retry number {@code retry} (1 = before the second attempt). */
    public Duration backoff(int retry) {
        long delay = capped(firstBackoff.multipliedBy(1L << Math.min(retry - 1, 30))).toMillis();
        long half = delay / 2;
        long jitter = (long) ((delay - half + 1) * random.nextDouble()); // 0 to delay - half, both included
        return Duration.ofMillis(half + jitter);
    }

    /** The server's {@code Retry-After} (capped) or, without one, the backoff. */
    private Duration serverWait(String retryAfter, int retry) {
        return RetryAfter.parse(retryAfter, time.now()).map(this::capped).orElseGet(() -> backoff(retry));
    }

    private Duration capped(Duration wait) {
        return wait.compareTo(maxDelay) > 0 ? maxDelay : wait;
    }

    /** A name that does not resolve will not resolve a second later; an interrupted thread is being stopped. */
    private static boolean worthRetrying(IOException e) {
        return !(e instanceof UnknownHostException) && !Thread.currentThread().isInterrupted();
    }

    private void pause(Duration wait) throws InterruptedIOException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
