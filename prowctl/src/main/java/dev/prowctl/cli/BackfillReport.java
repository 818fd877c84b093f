package dev.prowctl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.backfill.BackfillListener;
import dev.prowctl.scraper.backfill.BackfillResult;
import dev.prowctl.scraper.flake.ClassificationListener;

/**
 * What {@code prowctl backfill} says on stderr: the progress line (terminal only: jobs listed, then runs read of
 * runs listed), one line per job or run left out and per warning (at most {@value #MAX_LINES} of each, then a
 * count), that it resumes, and one summary line at the end.
 */
final class BackfillReport implements BackfillListener, ClassificationListener {

    static final int MAX_LINES = 20;

    private final PrintWriter err;
    private final Progress progress;
    private final Path checkpoints;
    private int leftOutLines;
    private int warningLines;

    BackfillReport(PrintWriter err, Progress progress, Path checkpoints) {
        this.err = err;
        this.progress = progress;
        this.checkpoints = checkpoints;
    }

    @Override
    public void progress(int jobsListed, int jobs, int runsListed, int runsRead) {
        if (jobsListed < jobs) {
            progress.update("listing jobs (" + runsListed + " runs found)", jobsListed, jobs);
        } else {
            progress.update("reading runs of " + jobs + " job directories", runsRead, runsListed);
        }
    }

    @Override
    public void leftOut(String line) {
        if (++leftOutLines <= MAX_LINES) {
            say("left out: " + line);
        }
    }

    @Override
    public void warning(String line) {
        if (++warningLines <= MAX_LINES) {
            say("warning: " + line);
        }
    }

    @Override
    public void resumed(int runsAlreadyDone, int jobs) {
        say("resuming: " + runsAlreadyDone + " run" + (runsAlreadyDone == 1 ? "" : "s") + " in the window were"
                + " emitted by an earlier backfill (checkpoints in " + checkpoints + ") and are not read again;"
                + " --from-scratch reads them again");
    }

    /** Classification progress goes to the same progress line. */
    @Override
    public void progress(int done, int total) {
        progress.update("classifying failed runs", done, total);
    }

    /** The summary line; the lines beyond the cap are counted here. */
    void finished(BackfillResult result, String destination) {
        progress.finish();
        if (leftOutLines > MAX_LINES) {
            say("... and " + (leftOutLines - MAX_LINES) + " more left out");
        }
        if (warningLines > MAX_LINES) {
            say("... and " + (warningLines - MAX_LINES) + " more warnings");
        }
        StringBuilder line = new StringBuilder().append(result.jobs()).append(" job").append(result.jobs() == 1
                ? "" : "s").append(", ").append(result.listed()).append(" runs listed");
        if (result.skippedDone() > 0) {
            line.append(" (").append(result.skippedDone()).append(" more done before)");
        }
        line.append(", ").append(result.read()).append(" read");
        if (result.fallbacks() > 0) {
            line.append(" (").append(result.fallbacks()).append(" from started.json and finished.json)");
        }
        line.append(", ").append(result.written()).append(" written to ").append(destination);
        append(line, result.filteredOut(), "filtered out");
        append(line, result.unfinished(), "not finished");
        append(line, result.unusable(), "unusable");
        append(line, result.deferred(), "deferred by the flake classifier");
        append(line, result.leftOut(), "left out");
        append(line, result.notReached(), "not reached before the deadline");
        line.append("; ").append(result.requests()).append(" GCS requests");
        say(line.toString());
    }

    private static void append(StringBuilder line, int count, String what) {
        if (count > 0) {
            line.append(", ").append(count).append(' ').append(what);
        }
    }

    void say(String line) {
        progress.finish();
        err.println("prowctl backfill: " + Redaction.text(TerminalText.oneLine(line)));
        err.flush();
    }
}
