package dev.prowctl.scraper.flake;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code times} answers of the {@link FakeArtifactsServer} for request targets containing {@code pathPart}: an HTTP
 * code (0: the normal answer) and a delay.
 */
record InjectedFault(String pathPart, int code, long delayMillis, AtomicInteger left) {

    InjectedFault(String pathPart, int times, int code, long delayMillis) {
        this(pathPart, code, delayMillis, new AtomicInteger(times));
    }

    /** True while this fault still has answers to spoil; counts one down. */
    boolean take() {
        return left.getAndDecrement() > 0;
    }
}
