package dev.prowctl.scraper.flake;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How one artifacts request is retried: on 429, 5xx and connection errors, up to {@code retries} more times, with
 * exponential backoff ({@code base * 2^attempt}, capped at {@code max}) and "equal jitter" (half the delay fixed,
 * half random) so that eight workers hitting the same 503 do not come back in lock-step.
 *
 * @param requestTimeout the limit for one attempt (connect + headers + body)
 * @param retries        attempts after the first one
 * @param base           backoff before the first retry
 * @param max            the longest backoff between two attempts (also caps a server's {@code Retry-After})
 */
public record RetryPolicy(Duration requestTimeout, int retries, Duration base, Duration max) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofSeconds(20), 3, Duration.ofMillis(250), Duration.ofSeconds(5));

    public RetryPolicy {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
    }

    /** The pause before retry number {@code attempt} (0 = first retry). */
    Duration backoff(int attempt) {
        long cap = max.toMillis();
        long delay = Math.min(cap, base.toMillis() << Math.min(attempt, 20));
        long half = delay / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** True for the answers worth asking again. */
    static boolean retryable(int code) {
        return code == 408 || code == 429 || code >= 500;
    }
}
