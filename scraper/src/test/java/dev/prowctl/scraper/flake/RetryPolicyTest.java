package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy =
            new RetryPolicy(Duration.ofSeconds(1), 5, Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long first = policy.backoff(0).toMillis();
            long third = policy.backoff(2).toMillis();
            long late = policy.backoff(30).toMillis();
            assertThat(first).isBetween(50L, 100L);
            assertThat(third).isBetween(200L, 400L);
            assertThat(late).isBetween(500L, 1000L);
            seen.add(third);
        }
        assertThat(seen).as("jittered, not lock-step").hasSizeGreaterThan(10);
    }

    @Test
    void onlyTransientAnswersAreRetried() {
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(408)).isTrue();
        assertThat(RetryPolicy.retryable(500)).isTrue();
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(404)).isFalse();
        assertThat(RetryPolicy.retryable(403)).isFalse();
        assertThat(RetryPolicy.retryable(200)).isFalse();
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 1, Duration.ofMillis(1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), -1, Duration.ofMillis(1),
                Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
