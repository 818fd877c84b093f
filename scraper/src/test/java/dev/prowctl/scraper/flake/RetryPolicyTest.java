package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.prowctl.http.Retry;
import dev.prowctl.http.TimeSource;

/** The user's numbers reach the shared retry rule (whose jitter and caps RetryTest covers). */
class RetryPolicyTest {
    private final RetryPolicy policy =
            new RetryPolicy(Duration.ofSeconds(1), 5, Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void retriesBaseAndMaxBecomeTheRetry() {
        List<Duration> sleeps = new ArrayList<>();
        Retry retry = policy.retry(TimeSource.system(), sleeps::add);
        assertThat(retry.attempts()).as("the first attempt and 5 retries").isEqualTo(6);
        assertThat(retry.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(retry.backoff(30)).as("capped at max").isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        assertThat(sleeps).as("nothing waited yet").isEmpty();
    }

    @Test
    void onlyTransientAnswersAreRetried() {
        assertThat(Retry.transientStatus(429)).isTrue();
        assertThat(Retry.transientStatus(408)).isTrue();
        assertThat(Retry.transientStatus(500)).isTrue();
        assertThat(Retry.transientStatus(503)).isTrue();
        assertThat(Retry.transientStatus(404)).isFalse();
        assertThat(Retry.transientStatus(403)).isFalse();
        assertThat(Retry.transientStatus(200)).isFalse();
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 1, Duration.ofMillis(1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), -1, Duration.ofMillis(1),
                Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
