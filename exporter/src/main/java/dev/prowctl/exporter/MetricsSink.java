package dev.prowctl.exporter;

import java.time.Clock;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.prow.ProwRun;

/** The exporter's end of the scrape pipeline: the runs of one scrape go into the {@link RunLedger}. */
public final class MetricsSink implements RunSink {

    private final RunLedger ledger;
    private final Clock clock;
    private int fresh;

    public MetricsSink(RunLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public Outcome accept(List<ProwRun> runs, ProgressListener progress) {
        fresh = ledger.count(runs, clock.instant());
        return new Outcome(runs.size(), List.of());
    }

    /** Runs counted for the first time by the last {@link #accept}. */
    public int fresh() {
        return fresh;
    }
}
