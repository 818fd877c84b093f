package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

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

    @Override
    public Integer call() throws IOException {
        Prowctl root = Prowctl.root(spec);
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
        ScrapeResult result = new ScrapePipeline(filter, input.deriver(deck), classifier, report)
                .run(input.source(deck, root.httpClient()), sink);
        if (target != null) {
            report.delivered(result.delivered(), target.toString());
        }
        return ExitCodes.OK.code();
    }

    private RunEncoder encoder() {
        try {
            return RunEncoder.of(output, measurement);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--measurement: " + e.getMessage());
        }
    }
}
