package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.backfill.BackfillResult;

/** What {@code prowctl backfill} shows on stderr: the progress line on a terminal, the resume notice, the summary. */
class BackfillReportTest {

    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text);

    @Test
    void theProgressLineCountsJobsListedThenRunsRead() {
        BackfillReport report = new BackfillReport(err, Progress.of(err, true), null);
        report.progress(1, 4, 10, 0);
        report.progress(4, 4, 100, 100);
        assertThat(text.toString()).contains("\rlisting jobs (10 runs found): 1/4 (25%)")
                .contains("\rreading runs of 4 job directories: 100/100 (100%)");
    }

    @Test
    void noProgressLineWithoutATerminal() {
        BackfillReport report = new BackfillReport(err, Progress.of(err, false), null);
        report.progress(1, 4, 10, 0);
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void resumingAndTheSummaryAreOneLineEach() {
        BackfillReport report = new BackfillReport(err, Progress.of(err, false), Path.of("/state/backfill"));
        report.resumed(2400, 50);
        report.finished(new BackfillResult(50, 2600, 2400, 2600, 3, 12, 2580, 2580, 4, 1, 2, 5, 0, 3400),
                "InfluxDB http://localhost:8086/ database prow");
        assertThat(text.toString().lines()).containsExactly(
                "prowctl backfill: resuming: 2400 runs in the window were emitted by an earlier backfill (checkpoints"
                        + " in /state/backfill) and are not read again; --from-scratch reads them again",
                "prowctl backfill: 50 jobs, 2600 runs listed (2400 more done before), 2600 read (3 from started.json"
                        + " and finished.json), 2580 written to InfluxDB http://localhost:8086/ database prow, 4"
                        + " filtered out, 12 not finished, 1 unusable, 5 deferred by the flake classifier, 2 left out;"
                        + " 3400 GCS requests");
    }
}
