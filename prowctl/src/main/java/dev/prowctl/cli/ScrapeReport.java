package dev.prowctl.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;

import dev.prowctl.scraper.backfill.BackfillListener;
import dev.prowctl.scraper.backfill.BackfillResult;
import dev.prowctl.scraper.backfill.GapFiller;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassificationSummary;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapeCounts;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.prow.JobFilter;

/**
 * What {@code prowctl scrape} says on stderr while and after the pipeline runs: the progress line (terminal only),
 * warnings about skipped or unmatched ProwJobs and the classifier's, with {@code --verbose} the counts, and what
 * became of a write to InfluxDB (one summary line, or the lines it rejected).
 */
final class ScrapeReport implements ScrapeListener, ClassificationListener {

    private static final int MAX_REJECTIONS_SHOWN = 20;

    private final PrintWriter err;
    private final boolean verbose;
    private final JobFilter filter;
    private final Progress progress;

    ScrapeReport(PrintWriter err, boolean verbose, JobFilter filter, Progress progress) {
        this.err = err;
        this.verbose = verbose;
        this.filter = filter;
        this.progress = progress;
    }

    @Override
    public void progress(Stage stage, long done, long total) {
        progress.update(stage == Stage.READING ? "reading prowjobs (MB)" : "writing to InfluxDB (lines)", done, total);
    }

    @Override
    public void stageFinished(Stage stage) {
        progress.finish();
    }

    @Override
    public void read(ScrapeCounts counts) {
        if (counts.skipped() > 0) {
            warning("skipped " + counts.skipped() + " unusable ProwJob" + (counts.skipped() == 1 ? "" : "s")
                    + " (first: " + counts.firstProblem() + ")");
        }
        if (counts.matched() == 0 && counts.items() > 0) {
            warning("none of the " + counts.items() + " ProwJobs matched the filters " + filter.describe());
        }
        if (verbose) {
            say(counts.items() + " ProwJobs, " + counts.matched() + " matched, " + counts.finished()
                    + " finished runs, " + counts.unfinished() + " not finished, " + counts.overrides() + " /override");
        }
    }

    /** Classification progress goes to the same progress line. */
    @Override
    public void progress(int done, int total) {
        progress.update("classifying failed runs", done, total);
    }

    @Override
    public void warning(String message) {
        say("warning: " + message);
    }

    @Override
    public void finished(ClassificationSummary summary) {
        if (verbose && summary.candidates() > 0) {
            say(summary.describe());
        }
    }

    /** Lines about the runs a gap fill left out or rebuilt, as warnings (at most 20 of each). */
    BackfillListener gapListener() {
        int[] lines = {0, 0};
        return new BackfillListener() {
            @Override
            public void leftOut(String line) {
                if (++lines[0] <= MAX_REJECTIONS_SHOWN) {
                    warning("gap fill left out " + line);
                }
            }

            @Override
            public void warning(String line) {
                if (++lines[1] <= MAX_REJECTIONS_SHOWN) {
                    ScrapeReport.this.warning("gap fill: " + line);
                }
            }
        };
    }

    /** What the gap fill did, in one line. */
    void gapFilled(GapFiller.Outcome outcome, Instant lastScrape) {
        BackfillResult r = outcome.result();
        StringBuilder line = new StringBuilder("last scrape was at ").append(lastScrape)
                .append(", longer ago than deck's window: backfilled the runs made from ")
                .append(outcome.window().since()).append(" to ").append(outcome.window().until()).append(" of ")
                .append(outcome.jobs()).append(" job").append(outcome.jobs() == 1 ? "" : "s").append(" from GCS: ")
                .append(r.emitted()).append(" emitted");
        if (r.skippedDone() > 0) {
            line.append(", ").append(r.skippedDone()).append(" emitted by an earlier scrape");
        }
        if (outcome.leftOpen()) {
            line.append("; left for the next scrape: ").append(r.notReached()).append(" not reached before the"
                    + " deadline, ").append(r.leftOut()).append(" failed, ").append(r.deferred())
                    .append(" without a flake verdict");
        }
        line.append(" (").append(r.requests()).append(" GCS requests)");
        say(line.toString());
    }

    /**
     * One summary line when every point was written; else lists the rejected lines (the first 20, and those InfluxDB
     * only counted, grouped by reason) and fails with exit 1.
     */
    void delivered(RunSink.Outcome outcome, String target) {
        String where = Redaction.text(target);
        List<RunSink.Rejection> rejected = outcome.rejected();
        if (rejected.isEmpty()) {
            say("wrote " + outcome.written() + " point" + (outcome.written() == 1 ? "" : "s") + " to " + where);
            return;
        }
        List<RunSink.Rejection> named = rejected.stream().filter(r -> r.item() != null).toList();
        for (RunSink.Rejection rejection : named.subList(0, Math.min(named.size(), MAX_REJECTIONS_SHOWN))) {
            say("InfluxDB rejected a line (" + shown(rejection.reason()) + "): " + shown(abbreviate(rejection.item())));
        }
        if (named.size() > MAX_REJECTIONS_SHOWN) {
            say("... and " + (named.size() - MAX_REJECTIONS_SHOWN) + " more rejected lines");
        }
        Map<String, Long> unnamed = rejected.stream().filter(r -> r.item() == null)
                .collect(Collectors.groupingBy(RunSink.Rejection::reason, LinkedHashMap::new, Collectors.counting()));
        unnamed.forEach((reason, count) -> say("InfluxDB dropped " + count + " line" + (count == 1 ? "" : "s")
                + " without naming " + (count == 1 ? "it" : "them") + " (" + shown(reason) + ")"));
        throw new CommandFailure(ExitCodes.PARTIAL, rejected.size() + " of " + outcome.sent()
                + " points were rejected by InfluxDB; the other " + outcome.written() + " were written");
    }

    private void say(String line) {
        err.println("prowctl scrape: " + line);
        err.flush();
    }

    /** Payload or server text as it may be printed: one line, no control characters, no secrets. */
    private static String shown(String text) {
        return Redaction.text(TerminalText.oneLine(text));
    }

    private static String abbreviate(String line) {
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
