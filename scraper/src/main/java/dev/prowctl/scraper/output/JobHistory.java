package dev.prowctl.scraper.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * One job's runs on the {@link OpenMetrics} time grid: the ticks it has samples at, and what the exporter's series
 * for it would read at each tick.
 */
final class JobHistory {

    private static final Comparator<ProwRun> BY_COMPLETION = Comparator.comparing(ProwRun::endTime)
            .thenComparing(ProwRun::startTime).thenComparing(ProwRun::id);

    private final String job;
    private final List<ProwRun> runs;
    private final long[] ticks;

    private JobHistory(String job, List<ProwRun> runs, long[] ticks) {
        this.job = job;
        this.runs = runs;
        this.ticks = ticks;
    }

    /** Every job's history, by job name; all end at the same tick (the first at or after the last completion). */
    static List<JobHistory> of(List<ProwRun> runs, long stepMillis, long tailMillis) {
        Map<String, List<ProwRun>> byJob = new TreeMap<>();
        long last = Long.MIN_VALUE;
        for (ProwRun run : runs) {
            byJob.computeIfAbsent(run.job(), k -> new ArrayList<>()).add(run);
            last = Math.max(last, run.endTime().toEpochMilli());
        }
        long end = ceilToStep(last, stepMillis);
        List<JobHistory> histories = new ArrayList<>(byJob.size());
        for (Map.Entry<String, List<ProwRun>> entry : byJob.entrySet()) {
            List<ProwRun> jobRuns = entry.getValue();
            jobRuns.sort(BY_COMPLETION);
            // strictly before the first completion, so every counter starts at 0
            long first = Math.floorDiv(jobRuns.get(0).endTime().toEpochMilli() - 1, stepMillis) * stepMillis;
            long jobLast = jobRuns.get(jobRuns.size() - 1).endTime().toEpochMilli();
            long jobEnd = Math.min(end, ceilToStep(jobLast + tailMillis, stepMillis));
            long[] ticks = new long[(int) ((jobEnd - first) / stepMillis) + 1];
            for (int i = 0; i < ticks.length; i++) {
                ticks[i] = first + i * stepMillis;
            }
            histories.add(new JobHistory(entry.getKey(), jobRuns, ticks));
        }
        return histories;
    }

    /** The first multiple of {@code step} at or after {@code millis} (Math.ceilDiv is Java 18). */
    private static long ceilToStep(long millis, long step) {
        return -Math.floorDiv(-millis, step) * step;
    }

    void writeRuns(Appendable out) throws IOException {
        Map<String, List<ProwRun>> series = group(run -> labels("type", run.type().prowName(), "state", run.state(),
                "org", run.org(), "repo", run.repo(), "base_ref", run.baseRef()));
        for (Map.Entry<String, List<ProwRun>> entry : series.entrySet()) {
            String prefix = OpenMetrics.RUNS + "_total{" + entry.getKey() + "} ";
            List<ProwRun> seriesRuns = entry.getValue();
            int done = 0;
            for (long tick : ticks) {
                done = finishedBy(seriesRuns, done, tick);
                sample(out, prefix, Integer.toString(done), tick);
            }
        }
    }

    void writeDurations(Appendable out) throws IOException {
        Map<String, List<ProwRun>> series = group(run -> labels("type", run.type().prowName(), "org", run.org(),
                "repo", run.repo(), "base_ref", run.baseRef()));
        // an abort says nothing about how long the job takes
        series.values().forEach(list -> list.removeIf(run -> "aborted".equals(run.state())));
        series.values().removeIf(List::isEmpty);
        double[] bounds = OpenMetrics.BUCKETS;
        for (Map.Entry<String, List<ProwRun>> entry : series.entrySet()) {
            String name = OpenMetrics.DURATION;
            String[] bucketPrefixes = new String[bounds.length + 1];
            for (int b = 0; b <= bounds.length; b++) {
                String le = b < bounds.length ? Double.toString(bounds[b]) : "+Inf";
                bucketPrefixes[b] = name + "_bucket{" + entry.getKey() + ",le=\"" + le + "\"} ";
            }
            String countPrefix = name + "_count{" + entry.getKey() + "} ";
            String sumPrefix = name + "_sum{" + entry.getKey() + "} ";
            List<ProwRun> seriesRuns = entry.getValue();
            long[] buckets = new long[bounds.length];
            long sum = 0;
            int done = 0;
            for (long tick : ticks) {
                int now = finishedBy(seriesRuns, done, tick);
                for (; done < now; done++) {
                    long seconds = seriesRuns.get(done).durationSeconds();
                    sum += seconds;
                    for (int b = 0; b < bounds.length; b++) {
                        if (seconds <= bounds[b]) {
                            buckets[b]++;
                        }
                    }
                }
                for (int b = 0; b < bounds.length; b++) {
                    sample(out, bucketPrefixes[b], Long.toString(buckets[b]), tick);
                }
                sample(out, bucketPrefixes[bounds.length], Integer.toString(done), tick);
                sample(out, countPrefix, Integer.toString(done), tick);
                sample(out, sumPrefix, Long.toString(sum), tick);
            }
        }
    }

    /** From the first tick after the first completion: before it, the exporter had no value for the job. */
    void writeLastRun(Appendable out) throws IOException {
        String prefix = OpenMetrics.LAST_RUN + "{" + labels() + "} ";
        int done = 0;
        for (long tick : ticks) {
            done = finishedBy(runs, done, tick);
            if (done > 0) {
                sample(out, prefix, seconds(runs.get(done - 1).endTime().toEpochMilli()), tick);
            }
        }
    }

    void writeConsecutiveFailures(Appendable out) throws IOException {
        String prefix = OpenMetrics.CONSECUTIVE_FAILURES + "{" + labels() + "} ";
        int done = 0;
        int streak = 0;
        for (long tick : ticks) {
            int now = finishedBy(runs, done, tick);
            for (; done < now; done++) {
                streak = switch (runs.get(done).state()) {
                    case "success" -> 0;
                    case "failure", "error" -> streak + 1;
                    default -> streak; // flake, aborted: neither a failure of the job nor a pass
                };
            }
            sample(out, prefix, Integer.toString(streak), tick);
        }
    }

    /** The index after the last of {@code runs} (in completion order) finished at or before {@code tick}. */
    private static int finishedBy(List<ProwRun> runs, int from, long tick) {
        int i = from;
        while (i < runs.size() && runs.get(i).endTime().toEpochMilli() <= tick) {
            i++;
        }
        return i;
    }

    /** The job's runs by series labels (rendered, job_name first), each list in completion order. */
    private Map<String, List<ProwRun>> group(java.util.function.Function<ProwRun, String> otherLabels) {
        Map<String, List<ProwRun>> series = new LinkedHashMap<>();
        for (ProwRun run : runs) {
            series.computeIfAbsent(otherLabels.apply(run), k -> new ArrayList<>()).add(run);
        }
        return series;
    }

    private String labels(String... more) {
        StringBuilder out = new StringBuilder("job_name=\"").append(OpenMetrics.labelValue(job)).append('"');
        for (int i = 0; i < more.length; i += 2) {
            out.append(',').append(more[i]).append("=\"").append(OpenMetrics.labelValue(more[i + 1])).append('"');
        }
        return out.toString();
    }

    private static void sample(Appendable out, String prefix, String value, long tickMillis) throws IOException {
        out.append(prefix).append(value).append(' ').append(seconds(tickMillis)).append('\n');
    }

    /** Epoch milliseconds as OpenMetrics seconds: an integer when whole, else with the milliseconds. */
    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000)
                : java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }
}
