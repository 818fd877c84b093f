package dev.prowctl.exporter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The exporter's metric families (docs/exporter.md), built at each {@code /metrics} request as snapshots of the
 * Prometheus client's model from the {@link RunLedger} and the {@link ScrapeStatus}. The ledger, not a client-side
 * counter object, holds the values because they are restored from the state file after a restart, and the
 * histogram's bucket counts cannot be set on the client's own {@code Histogram}.
 */
public final class ExporterMetrics implements MultiCollector {

    // Names without the _total suffix: the client adds it to counters in both formats.
    static final String RUNS = "prowctl_job_runs";
    static final String DURATION = "prowctl_job_run_duration_seconds";
    static final String LAST_RUN = "prowctl_job_last_run_timestamp_seconds";
    static final String CONSECUTIVE_FAILURES = "prowctl_job_consecutive_failures";
    static final String LAST_SUCCESS = "prowctl_scrape_last_success_timestamp_seconds";
    static final String SCRAPE_DURATION = "prowctl_scrape_duration_seconds";
    static final String SCRAPE_ERRORS = "prowctl_scrape_errors";
    static final String SCRAPE_INTERVAL = "prowctl_scrape_interval_seconds";
    static final String ARTIFACTS_REQUESTS = "prowctl_artifacts_requests";
    static final String CACHE_BYTES = "prowctl_flake_cache_bytes";
    static final String REMEMBERED = "prowctl_exporter_remembered_runs";

    private final RunLedger ledger;
    private final ScrapeStatus status;
    private final Duration interval;
    private final LongSupplier cacheBytes;

    ExporterMetrics(RunLedger ledger, ScrapeStatus status, Duration interval, LongSupplier cacheBytes) {
        this.ledger = ledger;
        this.status = status;
        this.interval = interval;
        this.cacheBytes = cacheBytes;
    }

    @Override
    public MetricSnapshots collect() {
        LedgerState state = ledger.snapshot(false);
        List<MetricSnapshot> families = new ArrayList<>();
        families.add(runs(state));
        families.add(durations(state));
        families.add(perJob(state, LAST_RUN, "End of the job's newest counted run (Unix seconds).", true));
        families.add(perJob(state, CONSECUTIVE_FAILURES, "Trailing failed runs (failure or error) among the job's "
                + "newest finished runs; flakes and aborts neither count nor reset.", false));
        families.addAll(scrapeFamilies(state));
        return new MetricSnapshots(families);
    }

    private static CounterSnapshot runs(LedgerState state) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(RUNS)
                .help("Finished Prow runs by final state (success, failure, flake, aborted, error), each counted once.");
        for (LedgerState.RunCount run : state.runs()) {
            family.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(jobLabels(run.labels()).add("state", run.state())).value(run.count()).build());
        }
        return family.build();
    }

    private static HistogramSnapshot durations(LedgerState state) {
        HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(DURATION).unit(Unit.SECONDS)
                .help("Run time of finished Prow runs (aborted runs left out).");
        double[] bounds = new double[RunLedger.DURATION_BUCKETS.length + 1];
        System.arraycopy(RunLedger.DURATION_BUCKETS, 0, bounds, 0, RunLedger.DURATION_BUCKETS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (LedgerState.DurationHistogram h : state.durations()) {
            family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(jobLabels(h.labels()))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.bucketCounts()))
                    .sum(h.sum()).build());
        }
        return family.build();
    }

    private static GaugeSnapshot perJob(LedgerState state, String name, String help, boolean lastRun) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        for (LedgerState.JobState job : state.jobs()) {
            double value = lastRun ? job.lastRunMillis() / 1000.0 : job.olderFailures() + job.failureEnds().size();
            family.dataPoint(gauge(Labels.of("job_name", job.job()), value));
        }
        return family.build();
    }

    private List<MetricSnapshot> scrapeFamilies(LedgerState state) {
        List<MetricSnapshot> families = new ArrayList<>();
        GaugeSnapshot.Builder lastSuccess = GaugeSnapshot.builder().name(LAST_SUCCESS)
                .help("End of the last successful scrape of deck (Unix seconds), kept across restarts.");
        if (state.lastSuccessMillis() > 0) {
            lastSuccess.dataPoint(gauge(Labels.EMPTY, state.lastSuccessMillis() / 1000.0));
        }
        families.add(lastSuccess.build());
        GaugeSnapshot.Builder took = GaugeSnapshot.builder().name(SCRAPE_DURATION)
                .help("Wall time of the last scrape (deck, classification, counting), failed or not.");
        Duration lastDuration = status.lastDuration();
        if (lastDuration != null) {
            took.dataPoint(gauge(Labels.EMPTY, lastDuration.toNanos() / 1e9));
        }
        families.add(took.build());
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name(SCRAPE_ERRORS)
                .help("Failed scrapes and scrape problems by reason, since the exporter started.");
        for (Map.Entry<ScrapeError, Long> e : status.errors().entrySet()) {
            errors.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("reason", e.getKey().label())).value(e.getValue()).build());
        }
        families.add(errors.build());
        families.add(GaugeSnapshot.builder().name(SCRAPE_INTERVAL).help("The exporter's --interval.")
                .dataPoint(gauge(Labels.EMPTY, interval.toNanos() / 1e9)).build());
        families.add(CounterSnapshot.builder().name(ARTIFACTS_REQUESTS)
                .help("HTTP requests sent for flake classification (retries included), since the exporter started.")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(status.artifactsRequests())
                        .build()).build());
        families.add(GaugeSnapshot.builder().name(CACHE_BYTES).help("Size of flake-cache.json in the state dir.")
                .dataPoint(gauge(Labels.EMPTY, cacheBytes.getAsLong())).build());
        families.add(GaugeSnapshot.builder().name(REMEMBERED)
                .help("Run ids remembered so that no run is counted twice (bounded by deck's window).")
                .dataPoint(gauge(Labels.EMPTY, ledger.remembered())).build());
        return families;
    }

    private static Labels jobLabels(JobLabels job) {
        return Labels.of("job_name", job.job(), "type", job.type(), "org", job.org(), "repo", job.repo(),
                "base_ref", job.baseRef());
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
