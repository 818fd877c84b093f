package dev.prowctl.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded, ordered queue of one output, in messages and in bytes (estimated as two per character plus
 * {@value #OVERHEAD_BYTES} per message: what a message costs on the heap). A message leaves it only once the output
 * confirmed delivery ({@link #remove}), so a failed attempt is retried from the same place and nothing is skipped.
 */
final class MessageQueue {
    static final int OVERHEAD_BYTES = 64;
    private final int capacity;
    private final long maxBytes;
    private long bytes;
    private final Deque<String> messages = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    MessageQueue(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    static long cost(String message) {
        return 2L * message.length() + OVERHEAD_BYTES;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Whether the batch fits now, in messages and in bytes. */
    boolean fits(List<String> batch) {
        lock.lock();
        try {
            return messages.size() + batch.size() <= capacity && bytes + cost(batch) <= maxBytes;
        } finally {
            lock.unlock();
        }
    }

    private static long cost(List<String> batch) {
        long total = 0;
        for (String message : batch) {
            total += cost(message);
        }
        return total;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }

    /** Adds all or nothing. */
    boolean offer(List<String> batch) {
        lock.lock();
        try {
            long batchBytes = cost(batch);
            if (messages.size() + batch.size() > capacity || bytes + batchBytes > maxBytes) {
                return false;
            }
            messages.addAll(batch);
            bytes += batchBytes;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The first {@code max} messages, without removing them; waits up to {@code timeoutMillis} for one. */
    List<String> peek(int max, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (messages.isEmpty() && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            List<String> head = new ArrayList<>(Math.min(max, messages.size()));
            for (String message : messages) {
                if (head.size() == max) {
                    break;
                }
                head.add(message);
            }
            return head;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the first {@code count} messages (they were delivered). */
    void remove(int count) {
        lock.lock();
        try {
            for (int i = 0; i < count && !messages.isEmpty(); i++) {
                bytes -= cost(messages.pollFirst());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the queue is empty or the deadline passes; true when empty. */
    boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!messages.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the first message out (at shutdown, to log it), or null when empty. */
    String poll() {
        lock.lock();
        try {
            String message = messages.pollFirst();
            if (message != null) {
                bytes -= cost(message);
            }
            return message;
        } finally {
            lock.unlock();
        }
    }
}
