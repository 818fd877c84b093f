package dev.prowctl.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded, ordered queue of one output. A message leaves it only once the output confirmed delivery
 * ({@link #remove}), so a failed attempt is retried from the same place and nothing is skipped.
 */
final class MessageQueue {
    private final int capacity;
    private final Deque<String> messages = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    MessageQueue(int capacity) {
        this.capacity = capacity;
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

    int free() {
        lock.lock();
        try {
            return capacity - messages.size();
        } finally {
            lock.unlock();
        }
    }

    /** Adds all or nothing. */
    boolean offer(List<String> batch) {
        lock.lock();
        try {
            if (messages.size() + batch.size() > capacity) {
                return false;
            }
            messages.addAll(batch);
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
                messages.pollFirst();
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

    /** Empties the queue and returns what was in it. */
    List<String> drain() {
        lock.lock();
        try {
            List<String> rest = new ArrayList<>(messages);
            messages.clear();
            return rest;
        } finally {
            lock.unlock();
        }
    }
}
