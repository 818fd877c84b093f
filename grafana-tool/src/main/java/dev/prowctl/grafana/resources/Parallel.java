package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.prowctl.http.ProgressListener;

/**
 * Bounded concurrency for per-item requests (--concurrency): at most N requests in flight, results in input order.
 */
public final class Parallel {

    private final int concurrency;
    private final ProgressListener progress;

    public Parallel(int concurrency) {
        this(concurrency, ProgressListener.NONE);
    }

    public Parallel(int concurrency, ProgressListener progress) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.concurrency = concurrency;
        this.progress = progress;
    }

    public int concurrency() {
        return concurrency;
    }

    /**
     * Applies {@code task} to every item with at most {@link #concurrency()} running at once.
     *
     * @throws RuntimeException the first failure (in input order), after all tasks ended
     */
    public <T, R> List<R> map(List<T> items, Function<T, R> task) {
        AtomicInteger done = new AtomicInteger();
        Function<T, R> counted = item -> {
            R result = task.apply(item);
            synchronized (progress) {
                progress.update(done.incrementAndGet(), items.size());
            }
            return result;
        };
        if (concurrency == 1 || items.size() <= 1) {
            List<R> results = new ArrayList<>(items.size());
            items.forEach(item -> results.add(counted.apply(item)));
            return results;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, items.size()), r -> {
            Thread t = new Thread(r, "grafana-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> counted.apply(item)));
            }
            List<R> results = new ArrayList<>(items.size());
            RuntimeException first = null;
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                    results.add(null);
                }
            }
            if (first != null) {
                throw first;
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
