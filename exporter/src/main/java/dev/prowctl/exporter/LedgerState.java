package dev.prowctl.exporter;

import java.util.List;
import java.util.Map;

/**
 * What {@link RunLedger} persists in the state dir ({@code exporter-state.json}): every counter value, so that a
 * restarted exporter continues where it stopped, and the ids of the runs counted, so that none is counted twice.
 *
 * @param format             {@link LedgerFile#FORMAT}
 * @param version            {@link LedgerFile#VERSION}
 * @param lastSuccessMillis  end of the last successful scrape (0: none yet)
 * @param runs               {@code prowctl_job_runs_total} by series
 * @param durations          {@code prowctl_job_run_duration_seconds} by series
 * @param jobs               per job: newest run end and the failure streak
 * @param counted            run id → its end (epoch ms), for runs still inside the retention window
 */
record LedgerState(String format, int version, long lastSuccessMillis, List<RunCount> runs,
                   List<DurationHistogram> durations, List<JobState> jobs, Map<String, Long> counted) {

    record RunCount(JobLabels labels, String state, long count) {
    }

    record DurationHistogram(JobLabels labels, long[] bucketCounts, double sum, long count) {
    }

    record JobState(String job, long lastRunMillis, long lastSuccessMillis, List<Long> failureEnds,
                    long olderFailures) {
    }
}
