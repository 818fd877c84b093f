package dev.prowctl.exporter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassificationSummary;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.prow.ProwJobSource;

/**
 * The exporter's scrape loop: every {@code interval} one scrape through the pipeline into the {@link RunLedger},
 * whose state is then saved. A failed scrape changes no count: {@code /metrics} keeps the last good values, the
 * failure is counted by reason and {@code /readyz} turns 503 once the last success is older than
 * {@link #STALE_INTERVALS} intervals. Time comes from the injected clock and the loop from the injected scheduler,
 * so tests call {@link #scrapeOnce} and move the clock instead of waiting.
 */
public final class Exporter implements AutoCloseable {

    /** Intervals without a successful scrape after which the exporter is not ready. */
    public static final int STALE_INTERVALS = 3;

    /** How the exporter reads deck: the source, and a new pipeline per scrape (its flake deadline starts then). */
    public interface Scrapes {
        ProwJobSource source();

        ScrapePipeline pipeline(ClassificationListener listener);
    }

    /** Whether the exporter is ready, and why not. */
    public record Readiness(boolean ready, String reason) {
    }

    private final Scrapes scrapes;
    private final RunLedger ledger;
    private final LedgerFile file;
    private final Duration interval;
    private final Clock clock;
    private final LongSupplier cacheBytes;
    private final Consumer<String> log;
    private final ScrapeStatus status = new ScrapeStatus();
    private volatile Runnable afterScrape = () -> { };
    private ScheduledFuture<?> loop;

    /**
     * @param cacheBytes size of the flake cache file, for its gauge (0 when there is none)
     * @param log        one line per failed scrape and per warning (stderr)
     */
    public Exporter(Scrapes scrapes, RunLedger ledger, LedgerFile file, Duration interval, Clock clock,
                    LongSupplier cacheBytes, Consumer<String> log) {
        this.scrapes = scrapes;
        this.ledger = ledger;
        this.file = file;
        this.interval = interval;
        this.clock = clock;
        this.cacheBytes = cacheBytes;
        this.log = log;
    }

    /** The metric families of this exporter, to register in a {@code PrometheusRegistry}. */
    public ExporterMetrics metrics() {
        return new ExporterMetrics(ledger, status, interval, cacheBytes);
    }

    /** Runs {@code action} at the end of every scrape, on the scrape thread ({@link MetricsServer#refresh}). */
    public void afterEachScrape(Runnable action) {
        afterScrape = action;
    }

    /** Scrapes now and then every interval (after each scrape ends) on {@code scheduler}. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        loop = scheduler.scheduleWithFixedDelay(this::scrapeInLoop, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * {@link #scrapeOnce} for the loop. An {@link Error} out of a scrape (a stack overflow on a hostile payload, an
     * out-of-memory) is a failed scrape too: thrown on, it would make the scheduler cancel the loop without a word,
     * and the exporter would serve the same values forever.
     */
    private void scrapeInLoop() {
        try {
            scrapeOnce();
        } catch (Error e) {
            String message = e.getClass().getSimpleName() + ": "
                    + TerminalText.oneLine(String.valueOf(e.getMessage()));
            status.failed(ScrapeError.INTERNAL, message);
            log.accept("prowctl exporter: scrape failed (" + ScrapeError.INTERNAL.label() + "): " + message
                    + "; serving the last good values");
        }
    }

    /**
     * One scrape. Never throws: every failure is counted and logged, and the next scrape tries again.
     *
     * @return true when it succeeded
     */
    public boolean scrapeOnce() {
        Instant start = clock.instant();
        try {
            MetricsSink sink = new MetricsSink(ledger, clock);
            scrapes.pipeline(listener()).run(scrapes.source(), sink);
            Instant end = clock.instant();
            ledger.scrapeSucceeded(end);
            save(); // before ready: a ready exporter has its counts on disk
            status.succeeded(end);
            return true;
        } catch (Exception e) {
            ScrapeError reason = ScrapeError.of(e);
            String message = TerminalText.oneLine(String.valueOf(e.getMessage()));
            status.failed(reason, message);
            log.accept("prowctl exporter: scrape failed (" + reason.label() + "): " + message
                    + "; serving the last good values");
            if (reason == ScrapeError.INTERNAL) {
                // a bug: its trace goes where the exporter logs (stderr, cleaned there), not to System.err
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                log.accept(trace.toString().stripTrailing());
            }
            return false;
        } finally {
            status.took(Duration.between(start, clock.instant()));
            afterScrape.run();
        }
    }

    private void save() {
        try {
            file.save(ledger);
        } catch (IOException | RuntimeException e) {
            String message = "could not save " + file.file() + " (" + e.getMessage() + "); the next scrape retries";
            status.failed(ScrapeError.STATE_WRITE, message);
            log.accept("prowctl exporter: " + message);
        }
    }

    private ClassificationListener listener() {
        return new ClassificationListener() {
            @Override
            public void progress(int done, int total) {
            }

            @Override
            public void warning(String message) {
                log.accept("prowctl exporter: " + message);
            }

            @Override
            public void finished(ClassificationSummary summary) {
                status.artifactsRequests(summary.requests());
                if (summary.deferred() > 0) {
                    status.failed(ScrapeError.ARTIFACTS, summary.deferred()
                            + " failed runs deferred: artifacts lookups failed");
                }
            }
        };
    }

    /** Ready after this process's first successful scrape, until the last one is {@value #STALE_INTERVALS} intervals old. */
    public Readiness readiness() {
        Instant last = status.lastSuccess();
        String error = status.lastError();
        if (last == null) {
            return new Readiness(false, "no successful scrape yet" + (error != null ? "; last error: " + error : ""));
        }
        Duration age = Duration.between(last, clock.instant());
        Duration limit = interval.multipliedBy(STALE_INTERVALS);
        if (age.compareTo(limit) > 0) {
            return new Readiness(false, "last successful scrape " + age.toSeconds() + " s ago, more than "
                    + STALE_INTERVALS + " intervals (" + limit.toSeconds() + " s)"
                    + (error != null ? "; last error: " + error : ""));
        }
        return new Readiness(true, "last successful scrape " + age.toSeconds() + " s ago");
    }

    /** Stops the loop, lets a scrape in progress finish, and saves the counts. */
    @Override
    public void close() {
        ScheduledFuture<?> running;
        synchronized (this) {
            running = loop;
            loop = null;
        }
        if (running != null) {
            running.cancel(false);
        }
        save();
    }
}
