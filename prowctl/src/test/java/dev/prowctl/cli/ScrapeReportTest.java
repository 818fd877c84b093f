package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.flake.ClassificationSummary;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapeCounts;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.prow.JobFilter;

/** What scrape says on stderr about what the pipeline reports: warnings always, counts only with --verbose. */
class ScrapeReportTest {

    private final StringWriter quietErr = new StringWriter();
    private final StringWriter verboseErr = new StringWriter();
    private final JobFilter oadp = new JobFilter("*oadp*", "periodic", null, null, null, null, null);
    private final ScrapeReport quiet = new ScrapeReport(new PrintWriter(quietErr), false, oadp,
            Progress.of(new PrintWriter(new StringWriter()), false));
    private final ScrapeReport verbose = new ScrapeReport(new PrintWriter(verboseErr), true, oadp,
            Progress.of(new PrintWriter(new StringWriter()), false));

    @Test
    void warnsAboutSkippedAndUnmatchedProwJobsAndCountsOnlyWhenVerbose() {
        for (ScrapeReport report : List.of(quiet, verbose)) {
            report.read(new ScrapeCounts(10, 0, 1, "item 3: metadata is not an object", 0, 0, 0));
        }

        assertThat(quietErr.toString().lines()).containsExactly(
                "prowctl scrape: warning: skipped 1 unusable ProwJob (first: item 3: metadata is not an object)",
                "prowctl scrape: warning: none of the 10 ProwJobs matched the filters job=*oadp* type=periodic");
        assertThat(verboseErr.toString().lines()).endsWith(
                "prowctl scrape: 10 ProwJobs, 0 matched, 0 finished runs, 0 not finished, 0 /override");
    }

    @Test
    void printsTheClassifiersWarningsAlwaysAndItsSummaryOnlyWhenVerbose() {
        ClassificationSummary summary = new ClassificationSummary(10, 4, 1, 2, 1, 1, 5, Duration.ofMillis(1500));
        for (ScrapeReport report : List.of(quiet, verbose)) {
            report.warning("1 failed run(s) not classified");
            report.finished(summary);
        }

        assertThat(quietErr.toString()).isEqualTo("prowctl scrape: warning: 1 failed run(s) not classified"
                + System.lineSeparator());
        assertThat(verboseErr.toString()).contains("warning: 1 failed run(s) not classified")
                .contains("flakes: 4 failed e2e/unit runs of 10: 1 from cache, 2 looked up (5 requests), 1 flakes, "
                        + "1 deferred to the next scrape; 1.5 s");
    }

    @Test
    void everyStageAndTheClassifierDrawOnTheOneProgressLine() {
        StringWriter terminal = new StringWriter();
        ScrapeReport report = new ScrapeReport(new PrintWriter(new StringWriter()), false, JobFilter.ANY,
                Progress.of(new PrintWriter(terminal), true));

        report.progress(ScrapeListener.Stage.READING, 3, 3);
        report.stageFinished(ScrapeListener.Stage.READING);
        report.progress(2, 2);
        report.stageFinished(ScrapeListener.Stage.CLASSIFYING);
        report.progress(ScrapeListener.Stage.WRITING, 5, 5);

        assertThat(terminal.toString()).contains("\rreading prowjobs (MB): 3/3 (100%)")
                .contains("\rclassifying failed runs: 2/2 (100%)")
                .endsWith("\rwriting to InfluxDB (lines): 5/5 (100%)");
    }

    @Test
    void rejectedLinesAreListedUpToTwentyAndMakeThePartialExitCode() {
        List<RunSink.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            rejected.add(new RunSink.Rejection("build,job_name=j" + i + " x=1i " + i, "field type conflict"));
        }

        assertThatThrownBy(() -> quiet.delivered(new RunSink.Outcome(30, rejected), "InfluxDB http://x/ database d"))
                .isInstanceOfSatisfying(CommandFailure.class,
                        f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.PARTIAL))
                .hasMessage("22 of 30 points were rejected by InfluxDB; the other 8 were written");
        assertThat(quietErr.toString().lines()).hasSize(21).startsWith(
                "prowctl scrape: InfluxDB rejected a line (field type conflict): build,job_name=j0 x=1i 0")
                .endsWith("prowctl scrape: ... and 2 more rejected lines");
    }

    @Test
    void aCompleteWriteSaysSoInOneLineWithoutVerbose() {
        quiet.delivered(new RunSink.Outcome(3, List.of()), "InfluxDB http://x/ database d");
        verbose.delivered(new RunSink.Outcome(1, List.of()), "InfluxDB http://u:pw@x/ database d");

        assertThat(quietErr.toString()).isEqualTo("prowctl scrape: wrote 3 points to InfluxDB http://x/ database d"
                + System.lineSeparator());
        assertThat(verboseErr.toString()).isEqualTo("prowctl scrape: wrote 1 point to InfluxDB http://***@x/ database d"
                + System.lineSeparator());
    }

    @Test
    void linesInfluxOnlyCountedAreOneLinePerReasonAndCountAsRejected() {
        List<RunSink.Rejection> rejected = List.of(
                new RunSink.Rejection(null, "partial write: points beyond retention policy"),
                new RunSink.Rejection("build,job_name=a\u001b]0;pwned\u0007 x=1i 1", "bad\u001b[2J line"),
                new RunSink.Rejection(null, "partial write: points beyond retention policy"));

        assertThatThrownBy(() -> quiet.delivered(new RunSink.Outcome(10, rejected), "InfluxDB http://x/ database d"))
                .hasMessage("3 of 10 points were rejected by InfluxDB; the other 7 were written");
        assertThat(quietErr.toString().lines()).containsExactly(
                "prowctl scrape: InfluxDB rejected a line (bad line): build,job_name=a x=1i 1",
                "prowctl scrape: InfluxDB dropped 2 lines without naming them"
                        + " (partial write: points beyond retention policy)");
    }
}
