package dev.prowctl.scraper.flake;

import java.time.Duration;
import java.util.Random;

import dev.prowctl.http.Retry;
import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;

/**
 * How one artifacts request is retried: on 429, 408, 5xx and connection errors, up to {@code retries} more times,
 * with exponential backoff ({@code base * 2^attempt}, capped at {@code max}) and "equal jitter" (half the delay
 * fixed, half random) so that eight workers hitting the same 503 do not come back in lock-step. The rule itself is
 * {@link Retry}'s; this record holds the user's numbers.
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

    /** The retries on the given clock and sleeper. */
    Retry retry(TimeSource time, Sleeper sleeper) {
        return new Retry(retries + 1, base, max, time, sleeper, new Random());
    }
}
