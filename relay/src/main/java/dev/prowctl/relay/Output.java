package dev.prowctl.relay;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/** Where relayed messages go: an IRC channel, a chat webhook, the log. Each has its own queue and worker. */
public interface Output extends AutoCloseable {

    /** A short name for logs and /healthz, without secrets (e.g. {@code irc://host:6697/#ops}). */
    String name();

    /** How many queued messages one {@link #deliver} call may get. */
    int maxBatch();

    /**
     * Delivers the head of the queue, in order. Calls {@code delivered.accept(n)} each time the first {@code n} more
     * messages are confirmed; throws when it cannot go on (the rest is retried later).
     */
    void deliver(List<String> batch, IntConsumer delivered) throws IOException, InterruptedException;

    /** Empty when usable now, or why not. */
    Optional<String> problem();

    /** Starts background work (connections); called once before the first delivery. */
    default void start() {
    }

    @Override
    default void close() {
    }

    /** A failure after which the sender asked to wait (HTTP 429 Retry-After). */
    final class RetryLater extends IOException {
        private static final long serialVersionUID = 1L;
        private final long delayMillis;

        public RetryLater(String message, long delayMillis) {
            super(message);
            this.delayMillis = delayMillis;
        }

        public long delayMillis() {
            return delayMillis;
        }
    }
}
