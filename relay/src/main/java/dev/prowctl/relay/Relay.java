package dev.prowctl.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;

/**
 * The queues between the webhook server and the outputs. A webhook's messages are queued for every output at once
 * or not at all; each output has a worker thread that delivers its queue in order and retries with backoff, so
 * messages wait while an output is down and are delivered when it is back.
 */
public final class Relay implements AutoCloseable {
    private static final long MIN_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 30_000;
    static final String QUEUE_FULL = "queue full";
    /** Longer messages are cut to this many characters before they are queued (IRC shows a few lines anyway). */
    public static final int MAX_MESSAGE_CHARS = 16_384;
    static final String TRUNCATED = " \u2026 (truncated)";
    /** Default bound of each output's queue in (estimated heap) bytes. */
    public static final long DEFAULT_QUEUE_BYTES = 64L << 20;

    private final List<Output> outputs;
    private final Map<Output, MessageQueue> queues = new LinkedHashMap<>();
    private final Map<Output, String> names = new LinkedHashMap<>();
    private final Map<Output, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per output, how its last delivery attempt ended (for /healthz and {@code prowctl stack status}). */
    private final Map<Output, Delivery> lastDeliveries = new java.util.concurrent.ConcurrentHashMap<>();

    /** How a delivery attempt ended: when (wall time) and, if it failed, why. */
    public record Delivery(java.time.Instant at, boolean delivered, String failure) {
    }
    private final List<Thread> workers = new ArrayList<>();
    private final RelayLog log;
    private final RelayClock clock;
    private final ReentrantLock offerLock = new ReentrantLock();
    private volatile boolean stopping;

    public Relay(List<Output> outputs, int queueCapacity, RelayLog log) {
        this(outputs, queueCapacity, DEFAULT_QUEUE_BYTES, log, RelayClock.SYSTEM);
    }

    /** @param clock times the retries of failed deliveries */
    public Relay(List<Output> outputs, int queueCapacity, RelayLog log, RelayClock clock) {
        this(outputs, queueCapacity, DEFAULT_QUEUE_BYTES, log, clock);
    }

    /**
     * @param queueBytes bound of each output's queue in bytes ({@link MessageQueue}), besides {@code queueCapacity}
     *     messages
     * @param clock times the retries of failed deliveries
     */
    public Relay(List<Output> outputs, int queueCapacity, long queueBytes, RelayLog log, RelayClock clock) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("at least one output is needed");
        }
        this.outputs = List.copyOf(outputs);
        this.log = log;
        this.clock = clock;
        for (Output output : outputs) {
            queues.put(output, new MessageQueue(queueCapacity, queueBytes));
        }
        // Two chat webhooks on one host have the same name (the path is the secret): number the duplicates, or
        // /healthz would report one of them under the other's name.
        Map<String, Long> counts = new java.util.HashMap<>();
        outputs.forEach(output -> counts.merge(output.name(), 1L, Long::sum));
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Output output : outputs) {
            String name = output.name();
            names.put(output, counts.get(name) == 1 ? name : name + " #" + seen.merge(name, 1, Integer::sum));
        }
    }

    /** The output's name, numbered when several outputs share it; unique within this relay. */
    public String nameOf(Output output) {
        return names.get(output);
    }

    public void start() {
        for (Output output : outputs) {
            output.start();
            Thread worker = new Thread(() -> work(output), "relay-" + nameOf(output));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues the messages for every output, or for none when a queue lacks room (the sender should retry). */
    public boolean offer(List<String> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        List<String> messages = batch.stream().map(Relay::truncate).toList();
        offerLock.lock();
        try {
            if (stopping) {
                return false;
            }
            for (MessageQueue queue : queues.values()) {
                if (!queue.fits(messages)) {
                    return false;
                }
            }
            for (MessageQueue queue : queues.values()) {
                queue.offer(messages);
            }
            return true;
        } finally {
            offerLock.unlock();
        }
    }

    /** A message cut to {@value #MAX_MESSAGE_CHARS} characters (never inside a surrogate pair). */
    static String truncate(String message) {
        if (message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int end = MAX_MESSAGE_CHARS - TRUNCATED.length();
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--;
        }
        return message.substring(0, end) + TRUNCATED;
    }

    /** Per output: empty when usable, or why it is not. */
    public Map<String, Optional<String>> health() {
        Map<String, Optional<String>> health = new LinkedHashMap<>();
        for (Output output : outputs) {
            MessageQueue queue = queues.get(output);
            Optional<String> problem = output.problem();
            // One read of the shared map: a containsKey then get could see the failure removed in between.
            String failure = failures.get(output);
            if (problem.isEmpty() && failure != null) {
                problem = Optional.of(failure);
            }
            if (!queue.fits(List.of(""))) {
                problem = Optional.of(QUEUE_FULL + " (" + queue.capacity() + " messages, " + queue.maxBytes()
                        + " bytes)"
                        + problem.map(reason -> "; " + reason).orElse(""));
            }
            health.put(nameOf(output), problem);
        }
        return health;
    }

    /** Per output that has tried to deliver: how its last attempt ended. */
    public Map<String, Delivery> lastDeliveries() {
        Map<String, Delivery> last = new LinkedHashMap<>();
        for (Output output : outputs) {
            Delivery delivery = lastDeliveries.get(output);
            if (delivery != null) {
                last.put(nameOf(output), delivery);
            }
        }
        return last;
    }

    /** Messages waiting per output. */
    public Map<String, Integer> queued() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        queues.forEach((output, queue) -> sizes.put(nameOf(output), queue.size()));
        return sizes;
    }

    private void work(Output output) {
        MessageQueue queue = queues.get(output);
        long retryMillis = MIN_RETRY_MILLIS;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<String> batch = queue.peek(output.maxBatch(), 1000);
                if (batch.isEmpty()) {
                    continue;
                }
                int[] done = {0};
                try {
                    output.deliver(batch, n -> {
                        queue.remove(n - done[0]);
                        done[0] = n;
                    });
                    failures.remove(output);
                    lastDeliveries.put(output, new Delivery(java.time.Instant.now(), true, null));
                    retryMillis = MIN_RETRY_MILLIS;
                } catch (java.io.IOException e) {
                    long wait = e instanceof Output.RetryLater later
                            ? Math.max(later.delayMillis(), MIN_RETRY_MILLIS) : retryMillis;
                    // Exception messages may quote a server (escape sequences) or a URL (secrets): cleaned once.
                    String why = TerminalText.oneLine(Redaction.text(String.valueOf(e.getMessage())));
                    String reason = why + "; " + queue.size() + " queued, retrying in " + wait + " ms";
                    failures.put(output, why);
                    lastDeliveries.put(output, new Delivery(java.time.Instant.now(), false, why));
                    log.info(nameOf(output) + ": " + reason);
                    clock.sleep(Duration.ofMillis(wait));
                    retryMillis = done[0] > 0 ? MIN_RETRY_MILLIS : Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.info(nameOf(output) + ": unexpected error "
                        + TerminalText.oneLine(Redaction.text(e.toString())) + "; retrying");
                try {
                    clock.sleep(Duration.ofMillis(retryMillis));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Stops taking messages, gives the outputs up to {@code grace} to deliver what is queued, then stops them and
     * logs each message that could not be delivered. Returns the number of undelivered messages.
     */
    public int shutdown(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (MessageQueue queue : queues.values()) {
                queue.awaitEmpty(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int lost = 0;
        for (Map.Entry<Output, MessageQueue> entry : queues.entrySet()) {
            // One at a time, without a copy of the queue: each logged message is freed before the next.
            String name = nameOf(entry.getKey());
            String message;
            while ((message = entry.getValue().poll()) != null) {
                log.info("not delivered to " + name + ": " + TerminalText.oneLine(message));
                lost++;
            }
        }
        for (Output output : outputs) {
            output.close();
        }
        if (lost > 0) {
            log.info(lost + " message(s) could not be delivered within the " + grace.toSeconds() + " s grace period");
        }
        return lost;
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
