package dev.prowctl.cli;

import java.io.PrintWriter;
import java.util.List;

import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassificationSummary;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapeCounts;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.prow.JobFilter;

/**
 * What {@code prowctl scrape} says on stderr while and after the pipeline runs: the progress line (terminal only),
 * warnings about skipped or unmatched ProwJobs and the classifier's, with {@code --verbose} the counts, and the
 * lines InfluxDB rejected.
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

    /** Lists the rejected lines (the first 20) and fails with exit 1 when there are any. */
    void delivered(RunSink.Outcome outcome, String target) {
        if (verbose) {
            say("wrote " + outcome.written() + " points to " + target);
        }
        List<RunSink.Rejection> rejected = outcome.rejected();
        if (rejected.isEmpty()) {
            return;
        }
        for (RunSink.Rejection rejection : rejected.subList(0, Math.min(rejected.size(), MAX_REJECTIONS_SHOWN))) {
            say("InfluxDB rejected a line (" + rejection.reason() + "): " + abbreviate(rejection.item()));
        }
        if (rejected.size() > MAX_REJECTIONS_SHOWN) {
            say("... and " + (rejected.size() - MAX_REJECTIONS_SHOWN) + " more rejected lines");
        }
        throw new CommandFailure(ExitCodes.PARTIAL, rejected.size() + " of " + outcome.sent()
                + " points were rejected by InfluxDB; the other " + outcome.written() + " were written");
    }

    private void say(String line) {
        err.println("prowctl scrape: " + line);
        err.flush();
    }

    private static String abbreviate(String line) {
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
