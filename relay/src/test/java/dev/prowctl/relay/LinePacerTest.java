package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The pacing on a virtual clock: exact waits, no real time spent. */
class LinePacerTest {

    @Test
    void aBurstGoesAtOnceThenOneLinePerIntervalAndIdleTimeRefillsUpToTheBurst() throws Exception {
        FakeClock clock = FakeClock.advancingOnSleep();
        LinePacer pacer = new LinePacer(4, 3, clock);
        assertThat(pacer.available()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            pacer.acquire();
        }
        assertThat(clock.elapsed()).isZero();
        assertThat(pacer.available()).isZero();

        pacer.acquire();
        pacer.acquire();
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(500));

        // A long pause earns no more than the burst.
        clock.sleep(Duration.ofMinutes(1));
        assertThat(pacer.available()).isEqualTo(3);
    }
}
