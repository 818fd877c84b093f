package dev.prowctl.relay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** An output for tests: records what it delivers; can be set to fail, as an unreachable endpoint would. */
final class RecordingOutput implements Output {
    private final List<String> delivered = new ArrayList<>();
    private volatile boolean down;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public int maxBatch() {
        return 50;
    }

    void setDown(boolean down) {
        this.down = down;
    }

    @Override
    public void deliver(List<String> batch, IntConsumer done) throws IOException {
        if (down) {
            throw new IOException("endpoint down");
        }
        // Confirmed (off the queue) before a test can see it delivered: a test that waits for the delivery may
        // then count on the room in the queue.
        done.accept(batch.size());
        synchronized (delivered) {
            delivered.addAll(batch);
            delivered.notifyAll();
        }
    }

    List<String> delivered() {
        synchronized (delivered) {
            return new ArrayList<>(delivered);
        }
    }

    List<String> awaitCount(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (delivered) {
            while (delivered.size() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("only " + delivered + " delivered");
                }
                delivered.wait(left);
            }
            return new ArrayList<>(delivered);
        }
    }

    @Override
    public Optional<String> problem() {
        return down ? Optional.of("endpoint down") : Optional.empty();
    }
}
