package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.prowctl.exporter.Exporter;
import dev.prowctl.exporter.LedgerFile;
import dev.prowctl.exporter.MetricsServer;
import dev.prowctl.exporter.RunLedger;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeSources;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prowctl exporter}: scrapes deck every {@code --interval} through the same pipeline, filters and flake
 * options as {@code scrape}, and serves the runs as Prometheus metrics (docs/exporter.md). Runs until SIGTERM.
 */
@Command(name = "exporter", mixinStandardHelpOptions = true,
        description = {
                "Scrape deck on an interval and serve the finished runs as Prometheus metrics on /metrics "
                        + "(text 0.0.4 or OpenMetrics), with /healthz and /readyz.",
                "",
                "Each finished run is counted once, ever; counts are kept in exporter-state.json in --state-dir "
                        + "and continue after a restart. Filters and flake options are those of 'prowctl scrape'."})
public final class ExporterCommand implements Callable<Integer> {

    private static final int DECK_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /** How long SIGTERM waits for a scrape in progress before the counts are saved anyway. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            defaultValue = "${env:PROWCTL_EXPORTER_LISTEN:-127.0.0.1:9096}",
            description = "Address to serve /metrics on; 0.0.0.0:9096 for a Prometheus on another host or "
                    + "container (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Time between the end of one scrape and the start of the next (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--url", paramLabel = "URL", defaultValue = DeckUrl.DEFAULT,
            description = "A deck page URL as copied from the browser, with its filters (default: ${DEFAULT-VALUE}).")
    String url;

    @Mixin
    JobFilterOptions filters;

    @Option(names = "--prowjobs-file", paramLabel = "FILE",
            description = "Read this saved prowjobs.js payload at every scrape instead of deck (tests, replays).")
    Path prowjobsFile;

    @Option(names = "--gcsweb-url", paramLabel = "PREFIX", defaultValue = RunDeriver.DEFAULT_GCSWEB,
            description = "Prefix of artifacts links (default: ${DEFAULT-VALUE}).")
    String gcswebUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest silence allowed from deck (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    FlakeOptions flakes;

    @Override
    public Integer call() throws IOException {
        Prowctl root = Prowctl.root(spec);
        PrintWriter err = spec.commandLine().getErr();
        DeckUrl deck = parseDeckUrl();
        JobFilter filter = deck.filter().overriddenBy(filters.filter());
        InetSocketAddress address = address(listen);
        // a bad flake option fails now, not at the first scrape
        flakes.classifier(root::httpClient, gcswebUrl, ClassificationListener.NONE);
        flakes.refreshFlakes = false; // --refresh-flakes drops the cached verdicts once, at start
        ProwJobSource source = prowjobsFile != null ? ScrapeSources.file(prowjobsFile) : ScrapeSources.deck(
                new DeckClient(root.httpClient(), deck, timeout, DECK_ATTEMPTS, FIRST_BACKOFF), deck, timeout);
        RunDeriver deriver = new RunDeriver(deck, gcswebUrl);
        Exporter.Scrapes scrapes = new Exporter.Scrapes() {
            @Override
            public ProwJobSource source() {
                return source;
            }

            @Override
            public ScrapePipeline pipeline(ClassificationListener listener) {
                return new ScrapePipeline(filter, deriver,
                        flakes.classifier(root::httpClient, gcswebUrl, listener), ScrapeListener.NONE);
            }
        };
        Path stateDir = flakes.stateDir();
        RunLedger ledger = new RunLedger();
        LedgerFile file = new LedgerFile(stateDir);
        try {
            file.load(ledger);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.ENVIRONMENT, e.getMessage());
        }
        Path cache = stateDir.resolve(FlakeCache.FILE_NAME);
        Exporter exporter = new Exporter(scrapes, ledger, file, interval, Clock.systemUTC(), () -> size(cache),
                line -> {
                    err.println(line);
                    err.flush();
                });
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(exporter.metrics());
        MetricsServer server;
        try {
            server = MetricsServer.start(address, registry, exporter::readiness);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot listen on " + listen + ": " + e.getMessage());
        }
        exporter.afterEachScrape(() -> {
            server.refresh();
            // A scrape leaves the garbage of a whole payload (180 MB for 20,000 runs); a full collection now, once
            // per interval, lets the JVM give that heap back instead of keeping the scrape's peak between scrapes.
            System.gc();
        });
        err.println("prowctl exporter: serving http://" + listen.replaceFirst(":\\d+$", "") + ":" + server.port()
                + "/metrics; scraping " + (prowjobsFile != null ? prowjobsFile : deck.prowjobsUrl()) + " every "
                + interval.toSeconds() + " s; counts in " + file.file());
        err.flush();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "prowctl-exporter-scrape");
            thread.setDaemon(true);
            return thread;
        });
        exporter.start(scheduler);
        runUntilStopped(() -> {
            server.close();
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exporter.close();
            err.println("prowctl exporter: stopped; counts saved in " + file.file());
            err.flush();
        });
        return ExitCodes.OK.code();
    }

    /** Waits for SIGTERM (or an interrupt of this thread), then runs {@code stop} once. */
    private static void runUntilStopped(Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable once = () -> {
            if (stopping.compareAndSet(false, true)) {
                stop.run();
                stopped.countDown();
            }
        };
        Thread hook = new Thread(once, "prowctl-exporter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                once.run();
            } catch (IllegalStateException jvmShuttingDown) {
                // the hook is already running and stops the exporter
            }
            Thread.currentThread().interrupt();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private DeckUrl parseDeckUrl() {
        try {
            return DeckUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
    }

    /** {@code HOST:PORT}, {@code [::1]:PORT}, or {@code :PORT} for every interface. */
    static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen must be HOST:PORT, not " + listen);
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen port is not a number: " + listen);
        }
        if (port < 0 || port > 65535) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen port out of range: " + listen);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host), port);
        } catch (UnknownHostException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen host unknown: " + host);
        }
    }
}
