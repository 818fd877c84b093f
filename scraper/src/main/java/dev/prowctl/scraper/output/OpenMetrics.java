package dev.prowctl.scraper.output;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * OpenMetrics 1.0 with timestamps, for {@code promtool tsdb create-blocks-from openmetrics}: the runs' history as
 * {@code prowctl exporter} would have reported it to a Prometheus scraping it every {@link #STEP}, so that the
 * project's recording rules and dashboards give the same answers over backfilled and live data.
 * <ul>
 * <li>{@code prowctl_job_runs_total{job_name,type,state,org,repo,base_ref}}: runs finished by then, per state;</li>
 * <li>{@code prowctl_job_run_duration_seconds{job_name,type,org,repo,base_ref}}: histogram of their durations,
 * aborted runs left out (as the exporter does), buckets {@link #BUCKETS};</li>
 * <li>{@code prowctl_job_last_run_timestamp_seconds{job_name}}: completion time of the newest finished run;</li>
 * <li>{@code prowctl_job_consecutive_failures{job_name}}: trailing failures and errors among the finished runs,
 * newest completion last; flakes and aborted runs neither count nor reset, a success resets.</li>
 * </ul>
 * Why a sample every {@link #STEP}, not one per run: {@code increase()} extrapolates from the samples it finds, and
 * an instant query only sees a sample of the last 5 minutes; sparse samples give other answers than a scraped
 * exporter. A job's counters start at 0 on the step before its first run, so {@code increase()} counts that run
 * (a series whose first sample is already 1 hides it), and its series end at the last run's step plus
 * {@link #TAIL} (by then no rule window of 7 days holds its runs) or at the history's end, whichever comes first;
 * this bounds the output.
 * The exporter's own {@code prowctl_scrape_*} metrics describe a running process and are not part of a history.
 * Families are written whole, each series' samples in time order, and the document ends with {@code # EOF}.
 */
public final class OpenMetrics implements RunEncoder {

    /** How often the history has a sample of every series: the exporter's default interval. */
    public static final Duration STEP = Duration.ofMinutes(5);

    /** How long a job's series go on after its last run: the longest rule window (7d rates). */
    public static final Duration TAIL = Duration.ofDays(7);

    /**
     * Upper bounds of {@code prowctl_job_run_duration_seconds}, in seconds (30 s to 10 h; +Inf is added when
     * written): one list for this history and the live exporter, so both give the same buckets (docs/exporter.md).
     */
    static final double[] BUCKETS = {30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400,
        18000, 21600, 28800, 36000};

    /** {@link #BUCKETS}, for the exporter (a copy: arrays cannot be shared read-only). */
    public static double[] durationBuckets() {
        return BUCKETS.clone();
    }

    public static final String RUNS = "prowctl_job_runs";
    public static final String DURATION = "prowctl_job_run_duration_seconds";
    public static final String LAST_RUN = "prowctl_job_last_run_timestamp_seconds";
    public static final String CONSECUTIVE_FAILURES = "prowctl_job_consecutive_failures";

    @Override
    public boolean perRun() {
        return false;
    }

    /** One run alone is a whole document too. */
    @Override
    public void write(ProwRun run, Appendable out) throws IOException {
        writeAll(List.of(run), out);
    }

    @Override
    public void writeAll(List<ProwRun> runs, Appendable out) throws IOException {
        List<JobHistory> jobs = JobHistory.of(runs, STEP.toMillis(), TAIL.toMillis());
        family(out, RUNS, "counter", "Finished Prow runs by final state (success, failure, flake, aborted, error).");
        for (JobHistory job : jobs) {
            job.writeRuns(out);
        }
        family(out, DURATION, "histogram", "Run time of finished Prow runs (aborted runs left out).");
        for (JobHistory job : jobs) {
            job.writeDurations(out);
        }
        family(out, LAST_RUN, "gauge", "Completion time of the job's newest finished run.");
        for (JobHistory job : jobs) {
            job.writeLastRun(out);
        }
        family(out, CONSECUTIVE_FAILURES, "gauge",
                "Trailing failures and errors among the job's newest finished runs; flakes and aborts are skipped.");
        for (JobHistory job : jobs) {
            job.writeConsecutiveFailures(out);
        }
        out.append("# EOF\n");
    }

    private static void family(Appendable out, String name, String type, String help) throws IOException {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    }

    /** A label value as OpenMetrics quotes it: backslash, double quote and line feed escaped; null is empty. */
    static String labelValue(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
