package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.influx.InfluxException;
import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.influx.InfluxWriter;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.output.RunEncoder;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckException;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.scraper.prow.ProwJobReader;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.RunCollector;
import dev.prowctl.scraper.prow.RunDeriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prowctl scrape}: read deck's prowjobs.js once, filter like deck, keep finished runs, classify, then print
 * them (influx line protocol, JSON lines, text) or write them to InfluxDB. Nothing is printed before the whole
 * payload was read and every run derived (a run that cannot be a point is skipped then), so a failed scrape
 * never leaves a partial output.
 */
@Command(name = "scrape", mixinStandardHelpOptions = true,
        description = {
                "Collect finished Prow runs from a deck and print them as InfluxDB line protocol, JSON lines or "
                        + "text, or write them to InfluxDB.",
                "",
                "Filters come from the --url query (deck's own page filters) and from the options of the same "
                        + "names; options win. The original flags -url_to_scrape URL and -print_for_human still work."})
public final class ScrapeCommand implements Runnable {

    private static final int DECK_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final int MAX_REJECTIONS_SHOWN = 20;
    /** Runs encoded per task, and per window of tasks, when printing (see {@link #print}). */
    private static final int PRINT_CHUNK = 256;
    private static final int PRINT_WINDOW = 4096;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = DeckUrl.DEFAULT,
            description = "A deck page URL as copied from the browser, with its filters (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--job", paramLabel = "GLOB", description = "Job name, exact or with * wildcards (deck's job=).")
    String job;

    @Option(names = "--type", paramLabel = "TYPE", description = "presubmit, postsubmit, periodic or batch.")
    String type;

    @Option(names = "--state", paramLabel = "STATE", description = "success, failure, aborted, error, ...")
    String state;

    @Option(names = "--repo", paramLabel = "ORG/REPO", description = "Repository (from refs, else extra_refs[0]).")
    String repo;

    @Option(names = "--pull", paramLabel = "N", description = "Pull request number.")
    String pull;

    @Option(names = "--author", paramLabel = "AUTHOR", description = "Pull request author.")
    String author;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Build cluster (e.g. build02).")
    String cluster;

    @Option(names = "--prowjobs-file", paramLabel = "FILE",
            description = "Read a saved prowjobs.js payload (JSON or var form, optionally gzip; a pipe such as "
                    + "/dev/stdin works too) instead of deck; the filters still apply, and links use the --url deck.")
    Path prowjobsFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "influx",
            description = "influx (line protocol, for Telegraf's inputs.exec), json (one object per line) or human "
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

    /** The one place where the classifier is chosen: artifacts lookups unless {@code --no-flakes}. */
    RunClassifier classifier(PrintWriter err, boolean verbose, Progress progress) {
        return flakes.classifier(Prowctl.root(spec)::httpClient, gcswebUrl,
                FlakeOptions.stderrListener(err, verbose,
                        (done, total) -> progress.update("classifying failed runs", done, total)));
    }

    @Override
    public void run() {
        PrintWriter err = spec.commandLine().getErr();
        boolean verbose = Prowctl.root(spec).verbose();
        influx.checkUnusedOptions();
        DeckUrl deck = parseDeckUrl();
        JobFilter filter = deck.filter()
                .overriddenBy(new JobFilter(job, type, state, repo, pull, author, cluster));
        RunEncoder encoder = encoder();
        // checked before deck is read: a wrong command line fails at once
        InfluxTarget target = influx.enabled() ? influx.target() : null;
        Progress progress = Progress.of(err, System.console() != null);
        // Built before deck is read: bad flake options fail at once, and --deadline counts from here.
        RunClassifier classifier = classifier(err, verbose, progress);

        RunCollector collector = new RunCollector(filter, new RunDeriver(deck, gcswebUrl));
        ProwJobSource source = prowjobsFile != null ? ProwJobSource.file(prowjobsFile)
                : new DeckClient(Prowctl.root(spec).httpClient(), deck, timeout, DECK_ATTEMPTS, FIRST_BACKOFF);
        if (verbose) {
            err.println("prowctl scrape: reading " + (prowjobsFile != null ? prowjobsFile : deck.prowjobsUrl()));
        }
        ProwJobReader.Summary summary;
        try {
            summary = source.read(collector, (done, total) ->
                    progress.update("reading prowjobs (MB)", done >> 20, total > 0 ? Math.max(1, total >> 20) : -1));
        } catch (PayloadException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, e.getMessage(), e);
        } catch (DeckException e) {
            int code = e.status() == 401 || e.status() == 403 ? ExitCodes.AUTH : ExitCodes.SERVER_ERROR;
            throw new CommandFailure(code, e.getMessage(), e);
        } catch (IOException e) {
            throw readFailure(e);
        } finally {
            progress.finish();
        }
        report(err, verbose, filter, summary, collector);

        List<ProwRun> runs;
        try {
            runs = classifier.classify(collector.runs());
        } finally {
            progress.finish();
        }
        if (target != null) {
            writeToInflux(runs, target, err, progress);
        } else {
            print(runs, encoder);
        }
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

    /** Maps a failure to read the payload (not a malformed payload: that is a PayloadException) to an exit code. */
    private RuntimeException readFailure(IOException e) {
        if (prowjobsFile != null) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                return new CommandFailure(ExitCodes.BAD_INPUT, "no such file: " + prowjobsFile, e);
            }
            if (e instanceof java.util.zip.ZipException) {
                return new CommandFailure(ExitCodes.BAD_INPUT, prowjobsFile + " is not valid gzip: " + e.getMessage(),
                        e);
            }
            return new CommandFailure(ExitCodes.ENVIRONMENT, "could not read " + prowjobsFile + ": " + e, e);
        }
        if (e instanceof java.io.InterruptedIOException) {
            return new CommandFailure(ExitCodes.UNREACHABLE, "deck " + url + " timed out (--timeout " + timeout
                    .toString().substring(2).toLowerCase(java.util.Locale.ROOT) + ")", e);
        }
        return new CommandFailure(ExitCodes.UNREACHABLE, "could not reach deck " + url + ": " + e.getMessage(), e);
    }

    private static void report(PrintWriter err, boolean verbose, JobFilter filter, ProwJobReader.Summary summary,
                               RunCollector collector) {
        int skipped = summary.skipped() + collector.unusable();
        if (skipped > 0) {
            String first = summary.firstProblem() != null ? summary.firstProblem() : collector.firstProblem();
            err.println("prowctl scrape: warning: skipped " + skipped + " unusable ProwJob"
                    + (skipped == 1 ? "" : "s") + " (first: " + first + ")");
        }
        if (collector.matched() == 0 && summary.items() > 0) {
            err.println("prowctl scrape: warning: none of the " + summary.items()
                    + " ProwJobs matched the filters " + describe(filter));
        }
        if (verbose) {
            err.println("prowctl scrape: " + summary.items() + " ProwJobs, " + collector.matched() + " matched, "
                    + collector.runs().size() + " finished runs, " + collector.unfinished() + " not finished, "
                    + collector.overrides() + " /override");
        }
        err.flush();
    }

    private static String describe(JobFilter f) {
        StringBuilder text = new StringBuilder();
        appendFilter(text, "job", f.job());
        appendFilter(text, "type", f.type());
        appendFilter(text, "state", f.state());
        appendFilter(text, "repo", f.repo());
        appendFilter(text, "pull", f.pull());
        appendFilter(text, "author", f.author());
        appendFilter(text, "cluster", f.cluster());
        return text.isEmpty() ? "(none)" : text.toString().trim();
    }

    private static void appendFilter(StringBuilder text, String name, String value) {
        if (value != null && !value.isEmpty()) {
            text.append(' ').append(name).append('=').append(value);
        }
    }

    /**
     * Encodes and prints the runs in payload order. Encoding is most of this work, so chunks of runs are encoded on
     * all cores (a window at a time, which keeps memory bounded) and written in order.
     */
    private void print(List<ProwRun> runs, RunEncoder encoder) {
        PrintWriter out = spec.commandLine().getOut();
        for (int from = 0; from < runs.size(); from += PRINT_WINDOW) {
            List<ProwRun> window = runs.subList(from, Math.min(runs.size(), from + PRINT_WINDOW));
            List<String> chunks = IntStream.range(0, (window.size() + PRINT_CHUNK - 1) / PRINT_CHUNK).parallel()
                    .mapToObj(i -> encode(window.subList(i * PRINT_CHUNK,
                            Math.min(window.size(), (i + 1) * PRINT_CHUNK)), encoder))
                    .toList();
            chunks.forEach(out::write);
        }
        out.flush();
    }

    private static String encode(List<ProwRun> runs, RunEncoder encoder) {
        StringBuilder text = new StringBuilder(runs.size() * 1024);
        try {
            for (ProwRun run : runs) {
                encoder.write(run, text);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return text.toString();
    }

    private void writeToInflux(List<ProwRun> runs, InfluxTarget target, PrintWriter err, Progress progress) {
        LineProtocol lineProtocol = new LineProtocol(measurement);
        List<String> lines = new ArrayList<>(runs.size());
        for (ProwRun run : runs) {
            lines.add(lineProtocol.line(run));
        }
        InfluxWriter writer = new InfluxWriter(
                Prowctl.root(spec).httpClient().newBuilder().connectTimeout(timeout).readTimeout(timeout)
                        .writeTimeout(timeout).build(),
                target, influx.batchSize(), 3, FIRST_BACKOFF);
        InfluxWriter.Result result;
        try {
            result = writer.write(lines, (done, total) -> progress.update("writing to InfluxDB (lines)", done, total));
        } catch (InfluxException e) {
            int code = switch (e.reason()) {
                case AUTH -> ExitCodes.AUTH;
                case UNSUPPORTED -> ExitCodes.UNSUPPORTED;
                case NOT_FOUND, SERVER_ERROR -> ExitCodes.SERVER_ERROR;
            };
            throw new CommandFailure(code, e.getMessage(), e);
        } catch (java.net.ConnectException | java.net.UnknownHostException e) {
            throw new CommandFailure(ExitCodes.UNREACHABLE, "could not reach InfluxDB " + influx.url + ": "
                    + e.getMessage(), e);
        } catch (java.io.InterruptedIOException e) {
            throw new CommandFailure(ExitCodes.UNREACHABLE, "InfluxDB " + influx.url + " timed out", e);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.UNREACHABLE, "writing to InfluxDB " + influx.url + " failed: " + e, e);
        } finally {
            progress.finish();
        }
        if (Prowctl.root(spec).verbose()) {
            err.println("prowctl scrape: wrote " + result.written() + " points to " + target);
        }
        if (!result.rejected().isEmpty()) {
            int shown = 0;
            for (InfluxWriter.Rejected rejected : result.rejected()) {
                if (shown++ == MAX_REJECTIONS_SHOWN) {
                    err.println("prowctl scrape: ... and " + (result.rejected().size() - MAX_REJECTIONS_SHOWN)
                            + " more rejected lines");
                    break;
                }
                err.println("prowctl scrape: InfluxDB rejected a line (" + rejected.reason() + "): "
                        + abbreviate(rejected.line()));
            }
            throw new CommandFailure(ExitCodes.PARTIAL, result.rejected().size() + " of " + result.sent()
                    + " points were rejected by InfluxDB; the other " + result.written() + " were written");
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
