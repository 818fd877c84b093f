package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;
import dev.prowctl.scraper.backfill.Backfill;
import dev.prowctl.scraper.backfill.BackfillSettings;
import dev.prowctl.scraper.backfill.Checkpoints;
import dev.prowctl.scraper.backfill.GapFiller;
import dev.prowctl.scraper.backfill.GapState;
import dev.prowctl.scraper.prow.ProwJobSource;
import okhttp3.HttpUrl;

import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.output.RunEncoder;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeResult;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prowctl scrape}: parses the options and wires a {@link ScrapePipeline} (deck or a file in, printing or
 * InfluxDB out); what it says on stderr is the {@link ScrapeReport}'s, failures are {@link FailureMap}'s.
 */
@Command(name = "scrape", mixinStandardHelpOptions = true,
        description = {
                "Collect finished Prow runs from a deck and print them as InfluxDB line protocol, JSON lines or "
                        + "text, or write them to InfluxDB.",
                "",
                "Filters come from the --url query (deck's own page filters) and from the options of the same "
                        + "names; options win. The original flags -url_to_scrape URL and -print_for_human still work."})
public final class ScrapeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeckOptions input;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "influx",
            description = "influx (line protocol, for Telegraf's inputs.exec), json (one object per line), human "
                    + "or openmetrics (timestamped history for promtool tsdb create-blocks-from openmetrics) "
                    + "(default: ${DEFAULT-VALUE}).")
    RunEncoder.Format output;

    @Option(names = "--measurement", paramLabel = "NAME", defaultValue = LineProtocol.DEFAULT_MEASUREMENT,
            description = "Line protocol measurement (default: ${DEFAULT-VALUE}).")
    String measurement;

    @Mixin
    InfluxOptions influx;

    @Mixin
    FlakeOptions flakes;

    @Option(names = "--deck-window", paramLabel = "DURATION", defaultValue = "${env:PROWCTL_DECK_WINDOW:-20h}",
            converter = DurationConverter.class,
            description = "How long deck shows finished runs, at least. When the last successful scrape of this deck"
                    + " is longer ago, the runs made in between are backfilled from GCS within --deadline (the rest"
                    + " at the next scrape). Default: ${DEFAULT-VALUE}.")
    Duration deckWindow;

    @Option(names = "--no-gap-fill", description = "Do not remember scrapes nor backfill the gap after an outage.")
    boolean noGapFill;

    @Override
    public Integer call() throws IOException {
        Prowctl root = Prowctl.root(spec);
        Instant started = Instant.now();
        Deadline deadline = Deadline.after(flakes.deadline(), TimeSource.system());
        PrintWriter err = spec.commandLine().getErr();
        influx.checkUnusedOptions();
        DeckUrl deck = input.deck();
        JobFilter filter = input.filter(deck);
        RunEncoder encoder = encoder();
        // checked before deck is read: a wrong command line fails at once
        InfluxTarget target = influx.enabled() ? influx.target() : null;
        ScrapeReport report = new ScrapeReport(err, root.verbose(), filter, Progress.onStderr(err));
        // Built before deck is read: bad flake options fail at once, and --deadline counts from here.
        RunClassifier classifier = flakes.classifier(root::httpClient, input.gcswebUrl(), report);
        if (root.verbose()) {
            err.println("prowctl scrape: reading " + input.describeSource(deck));
        }
        RunSink sink = target == null ? new PrintSink(spec.commandLine().getOut(), encoder)
                : influx.sink(target, root.httpClient(), input.timeout(), new LineProtocol(measurement));
        // a saved payload is not deck's present: only scrapes of a live deck remember themselves and fill gaps
        // nor does a one-document format (openmetrics), which cannot take the gap's runs after the scrape's
        GapFiller gaps = noGapFill || input.fromFile() || target == null && !encoder.perRun() ? null : new GapFiller(GapState.open(flakes.stateDir(),
                deck.base() + " " + filter.describe() + " " + (target != null ? target : "stdout " + output)
                        + " measurement=" + measurement, report::warning), deckWindow, filter, started);
        ProwJobSource source = input.source(deck, root.httpClient());
        ScrapeResult result = new ScrapePipeline(filter, input.deriver(deck), classifier, report)
                .run(gaps == null ? source : gaps.source(source), sink);
        if (gaps != null) {
            fillGap(gaps, root, deck, filter, classifier, sink, report, deadline);
        }
        if (target != null) {
            report.delivered(result.delivered(), target.toString());
        }
        return ExitCodes.OK.code();
    }

    /** After a scrape: backfills the gap since the last one, if any, into the same sink; else remembers it. */
    private void fillGap(GapFiller gaps, Prowctl root, DeckUrl deck, JobFilter filter, RunClassifier classifier,
                         RunSink sink, ScrapeReport report, Deadline deadline) throws IOException {
        if (gaps.window().isEmpty()) {
            gaps.scraped();
            return;
        }
        String gcsweb = input.gcswebUrl();
        BackfillSettings settings = new BackfillSettings(flakes.gcsApiUrl(), gcsweb == null || gcsweb.isBlank()
                ? null : HttpUrl.parse(gcsweb.endsWith("/") ? gcsweb : gcsweb + "/"), flakes.concurrency(),
                flakes.retryPolicy(), BackfillSettings.DEFAULT_BATCH);
        Backfill backfill = new Backfill(root.httpClient(), settings, deck, filter, input.deriver(deck),
                () -> classifier, Checkpoints.open(flakes.stateDir(), "gap " + deck.base() + " " + filter.describe(),
                report::warning), report.gapListener(), TimeSource.system(), Sleeper.system());
        GapFiller.Outcome outcome = gaps.fill(backfill, sink, deadline);
        report.gapFilled(outcome, gaps.lastScrape());
    }

    private RunEncoder encoder() {
        try {
            return RunEncoder.of(output, measurement);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--measurement: " + e.getMessage());
        }
    }
}
