package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.prowctl.exporter.Exporter;
import dev.prowctl.exporter.LedgerFile;
import dev.prowctl.exporter.MetricsServer;
import dev.prowctl.exporter.RunLedger;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Mixin
    DeckOptions input;

    @Mixin
    FlakeOptions flakes;

    @Override
    public Integer call() throws IOException {
        Prowctl root = Prowctl.root(spec);
        PrintWriter err = spec.commandLine().getErr();
        DeckUrl deck = input.deck();
        JobFilter filter = input.filter(deck);
        InetSocketAddress address = LongRunning.listenAddress(listen);
        // a bad flake option fails now, not at the first scrape
        flakes.classifier(root::httpClient, input.gcswebUrl(), ClassificationListener.NONE);
        flakes.refreshFlakes = false; // --refresh-flakes drops the cached verdicts once, at start
        ProwJobSource source = input.source(deck, root.httpClient());
        RunDeriver deriver = input.deriver(deck);
        Exporter.Scrapes scrapes = new Exporter.Scrapes() {
            @Override
            public ProwJobSource source() {
                return source;
            }

            @Override
            public ScrapePipeline pipeline(ClassificationListener listener) {
                return new ScrapePipeline(filter, deriver,
                        flakes.classifier(root::httpClient, input.gcswebUrl(), listener), ScrapeListener.NONE);
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
        exporter.afterEachScrape(server::refresh);
        err.println("prowctl exporter: serving http://" + listen.replaceFirst(":\\d+$", "") + ":" + server.port()
                + "/metrics; scraping " + input.describeSource(deck) + " every "
                + interval.toSeconds() + " s; counts in " + file.file());
        err.flush();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "prowctl-exporter-scrape");
            thread.setDaemon(true);
            return thread;
        });
        exporter.start(scheduler);
        LongRunning.runUntilStopped("prowctl-exporter", () -> {
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

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
