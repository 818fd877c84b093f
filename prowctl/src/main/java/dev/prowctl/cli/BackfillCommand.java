package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;
import dev.prowctl.scraper.backfill.Backfill;
import dev.prowctl.scraper.backfill.BackfillJob;
import dev.prowctl.scraper.backfill.BackfillResult;
import dev.prowctl.scraper.backfill.BackfillSettings;
import dev.prowctl.scraper.backfill.Checkpoints;
import dev.prowctl.scraper.backfill.JobSelection;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.output.RunEncoder;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun;
import okhttp3.HttpUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code prowctl backfill}: the runs of a time window read from GCS (deck keeps about a day) and emitted like a
 * scrape's, through a {@link Backfill}; what it says on stderr is the {@link BackfillReport}'s.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true, defaultValueProvider = BackfillCommand.Defaults.class,
        description = {
                "Read finished runs older than deck's window from their records in GCS (prowjob.json) and print or "
                        + "write them exactly as scrape does.",
                "",
                "Jobs: those of the current deck payload that match the filters, plus the job of --job NAME given "
                        + "without * (a job deck no longer shows). Writing to InfluxDB is resumable: a backfill "
                        + "run again reads only what an earlier one did not emit (checkpoints in --state-dir).",
                "Exits 1 when a job or run was left out (each named on stderr); run it again to retry them."})
public final class BackfillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeckOptions input;

    @Option(names = "--since", required = true, paramLabel = "DURATION|DATE", converter = TimeConverter.class,
            description = "Start of the window: a time ago (72h, 30d) or a date (2026-11-01, UTC) or time "
                    + "(2026-11-01T12:00:00Z).")
    TimeArg since;

    @Option(names = "--until", paramLabel = "DURATION|DATE", converter = TimeConverter.class,
            description = "End of the window (excluded), in the same forms (default: now).")
    TimeArg until;

    @Option(names = "--bucket", paramLabel = "NAME",
            description = "GCS bucket of every job (default: the bucket of each job's runs' status.url in deck).")
    String bucket;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "influx",
            description = "influx (line protocol), json, human or openmetrics (default: ${DEFAULT-VALUE}).")
    RunEncoder.Format output;

    @Option(names = "--measurement", paramLabel = "NAME", defaultValue = LineProtocol.DEFAULT_MEASUREMENT,
            description = "Line protocol measurement (default: ${DEFAULT-VALUE}).")
    String measurement;

    @Option(names = "--from-scratch",
            description = "Ignore the checkpoints of earlier backfills into the same InfluxDB and read every run again.")
    boolean fromScratch;

    @Mixin
    InfluxOptions influx;

    @Mixin
    FlakeOptions flakes;

    /**
     * backfill's own default of the shared {@code --concurrency} (32, not scrape's 8; {@code $PROWCTL_CONCURRENCY}
     * still wins): a backfill is thousands of small GCS reads, all waiting, and its speed is its concurrency.
     */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec option && option.longestName().equals("--concurrency")
                    ? "${env:PROWCTL_CONCURRENCY:-" + BackfillSettings.DEFAULT_CONCURRENCY + "}" : null;
        }
    }

    /** A point in time as typed: a time ago or a date. */
    record TimeArg(Duration ago, Instant at) {
        Instant resolve(Instant now) {
            return at != null ? at : now.minus(ago);
        }
    }

    /** {@code 30d}, {@code 2w}, any {@link DurationConverter} form, a date (UTC midnight) or an RFC 3339 time. */
    static final class TimeConverter implements ITypeConverter<TimeArg> {
        private static final Pattern DAYS = Pattern.compile("(\\d+)\\s*(d|w)");

        @Override
        public TimeArg convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Matcher days = DAYS.matcher(text);
            if (days.matches()) {
                long n = Long.parseLong(days.group(1));
                return new TimeArg(Duration.ofDays(days.group(2).equals("w") ? 7 * n : n), null);
            }
            try {
                return new TimeArg(null, LocalDate.parse(value.strip()).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // not a date
            }
            try {
                return new TimeArg(null, Instant.parse(value.strip()));
            } catch (DateTimeParseException e) {
                // not a time
            }
            try {
                return new TimeArg(new DurationConverter().convert(value), null);
            } catch (TypeConversionException e) {
                throw new TypeConversionException("'" + value + "' is neither a duration (72h, 30d) nor a date"
                        + " (2026-11-01) nor a time (2026-11-01T12:00:00Z)");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        Prowctl root = Prowctl.root(spec);
        PrintWriter err = spec.commandLine().getErr();
        influx.checkUnusedOptions();
        DeckUrl deck = input.deck();
        JobFilter filter = input.filter(deck);
        Instant now = Instant.now();
        Instant from = since.resolve(now);
        Instant to = until == null ? now : until.resolve(now);
        if (!from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--since (" + from + ") must be before --until (" + to
                    + ")");
        }
        RunEncoder encoder = encoder();
        InfluxTarget target = influx.enabled() ? influx.target() : null;
        HttpUrl gcsApi = flakes.gcsApiUrl();
        String gcsweb = input.gcswebUrl();
        HttpUrl gcswebPrefix = gcsweb == null || gcsweb.isBlank() ? null
                : HttpUrl.parse(gcsweb.endsWith("/") ? gcsweb : gcsweb + "/");
        Checkpoints checkpoints = target == null ? Checkpoints.none()
                : Checkpoints.open(flakes.stateDir(), target + " measurement=" + measurement + " filter="
                + filter.describe() + " flakes=" + flakes.enabled(), line -> err.println("prowctl backfill: warning: "
                + line));
        BackfillReport report = new BackfillReport(err, Progress.onStderr(err), checkpoints.directory());
        // checked once before anything is read: bad flake options fail at once; --refresh-flakes drops the cached
        // verdicts then, not again for every batch (whose verdicts the next batch would drop)
        flakes.classifier(root::httpClient, gcsweb, report);
        flakes.refreshFlakes = false;
        Supplier<RunClassifier> classifiers = () -> flakes.classifier(root::httpClient, gcsweb, report);
        BackfillSettings settings = new BackfillSettings(gcsApi, gcswebPrefix, flakes.concurrency(),
                flakes.retryPolicy(), BackfillSettings.DEFAULT_BATCH);

        List<BackfillJob> jobs;
        try {
            jobs = JobSelection.select(input.source(deck, root.httpClient()), filter, bucket, now);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
        if (jobs.isEmpty()) {
            report.say("warning: no job of deck's payload matches the filters " + filter.describe()
                    + "; give --job NAME for a job deck no longer shows");
        }
        if (fromScratch) {
            checkpoints.forget(jobs.stream().map(BackfillJob::name).toList());
        }
        List<ProwRun> document = new ArrayList<>();
        RunSink sink = target != null
                ? influx.sink(target, root.httpClient(), input.timeout(), new LineProtocol(measurement))
                : encoder.perRun() ? new PrintSink(spec.commandLine().getOut(), encoder)
                // one document over all runs (openmetrics): the batches are kept and written once at the end
                : (runs, progress) -> {
                    document.addAll(runs);
                    return new RunSink.Outcome(runs.size(), List.of());
                };
        Backfill backfill = new Backfill(root.httpClient(), settings, deck, filter, input.deriver(deck), classifiers,
                checkpoints, report, TimeSource.system(), Sleeper.system());
        BackfillResult result = backfill.run(jobs, from, to, sink);
        if (target == null && !encoder.perRun()) {
            new PrintSink(spec.commandLine().getOut(), encoder).accept(document, (done, total) -> { });
        }
        report.finished(result, target == null ? "stdout" : target.toString());
        if (result.incomplete()) {
            throw new CommandFailure(ExitCodes.PARTIAL, result.leftOut() + " job(s) or run(s) were left out (named"
                    + " above); run the backfill again to retry them");
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
