package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.output.RunEncoder;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeResult;
import dev.prowctl.scraper.pipeline.ScrapeSources;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
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

    private static final int DECK_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = DeckUrl.DEFAULT,
            description = "A deck page URL as copied from the browser, with its filters (default: ${DEFAULT-VALUE}).")
    String url;

    @Mixin
    JobFilterOptions filters;

    @Option(names = "--prowjobs-file", paramLabel = "FILE",
            description = "Read a saved prowjobs.js payload (JSON or var form, optionally gzip; a pipe such as "
                    + "/dev/stdin works too) instead of deck; the filters still apply, and links use the --url deck.")
    Path prowjobsFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "influx",
            description = "influx (line protocol, for Telegraf's inputs.exec), json (one object per line), human "
                    + "or openmetrics (timestamped history for promtool tsdb create-blocks-from openmetrics) "
                    + "(default: ${DEFAULT-VALUE}).")
    RunEncoder.Format output;

    @Option(names = "--measurement", paramLabel = "NAME", defaultValue = LineProtocol.DEFAULT_MEASUREMENT,
            description = "Line protocol measurement (default: ${DEFAULT-VALUE}).")
    String measurement;

    @Option(names = "--gcsweb-url", paramLabel = "PREFIX", defaultValue = RunDeriver.DEFAULT_GCSWEB,
            description = "Prefix of artifacts links (default: ${DEFAULT-VALUE}). Empty when the deck's gcsweb is "
                    + "unknown: runs get no artifacts link and flake lookups find it on each run's spyglass page.")
    String gcswebUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest silence allowed from deck or InfluxDB (connect and read), e.g. 30s, 2m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    InfluxOptions influx;

    @Mixin
    FlakeOptions flakes;

    @Override
    public Integer call() throws IOException {
        Prowctl root = Prowctl.root(spec);
        PrintWriter err = spec.commandLine().getErr();
        influx.checkUnusedOptions();
        DeckUrl deck = parseDeckUrl();
        JobFilter filter = deck.filter().overriddenBy(filters.filter());
        RunEncoder encoder = encoder();
        // checked before deck is read: a wrong command line fails at once
        InfluxTarget target = influx.enabled() ? influx.target() : null;
        ScrapeReport report = new ScrapeReport(err, root.verbose(), filter, Progress.onStderr(err));
        // Built before deck is read: bad flake options fail at once, and --deadline counts from here.
        RunClassifier classifier = flakes.classifier(root::httpClient, gcswebUrl, report);
        ProwJobSource source = prowjobsFile != null ? ScrapeSources.file(prowjobsFile) : ScrapeSources.deck(
                new DeckClient(root.httpClient(), deck, timeout, DECK_ATTEMPTS, FIRST_BACKOFF), deck, timeout);
        if (root.verbose()) {
            err.println("prowctl scrape: reading " + (prowjobsFile != null ? prowjobsFile : deck.prowjobsUrl()));
        }
        RunSink sink = target == null ? new PrintSink(spec.commandLine().getOut(), encoder)
                : influx.sink(target, root.httpClient(), timeout, new LineProtocol(measurement));
        ScrapeResult result = new ScrapePipeline(filter, new RunDeriver(deck, gcswebUrl), classifier, report)
                .run(source, sink);
        if (target != null) {
            report.delivered(result.delivered(), target.toString());
        }
        return ExitCodes.OK.code();
    }

    private DeckUrl parseDeckUrl() {
        try {
            return DeckUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
    }

    private RunEncoder encoder() {
        try {
            return RunEncoder.of(output, measurement);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--measurement: " + e.getMessage());
        }
    }
}
