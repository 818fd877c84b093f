package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.prowctl.scraper.flake.RunLocation;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJob;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.ProwRun.JobType;

/**
 * Which jobs a backfill reads: those of the current deck payload whose name (and repository) match the filters,
 * plus a job named exactly ({@code --job NAME} without {@code *}) that deck no longer shows. The bucket comes from
 * each job's runs' {@code status.url} (buckets were renamed twice; never assumed), unless overridden.
 */
public final class JobSelection {

    private JobSelection() {
    }

    /** What deck says about one job. */
    private static final class Seen {
        final Map<String, Integer> buckets = new HashMap<>();
        final Map<String, Integer> prefixes = new HashMap<>();
        JobType type;
        Boolean snowflakes;
    }

    /**
     * Takes the ProwJobs of a payload as they are read (alongside a scrape's own reading), and tells the jobs to
     * backfill from them at the end.
     */
    public static final class Collector implements Consumer<ProwJob> {
        private final JobFilter filter;
        private final JobFilter.Matcher selects;
        private final Instant latest;
        private final Map<String, Seen> jobs = new TreeMap<>();
        private final Map<String, Integer> allBuckets = new HashMap<>();

        private Collector(JobFilter filter, Instant now) {
            this.filter = filter;
            this.selects = new JobFilter(filter.job(), null, null, filter.repo(), null, null, null).matcher();
            this.latest = now.plus(Duration.ofDays(1));
        }

        @Override
        public synchronized void accept(ProwJob pj) {
            Optional<RunLocation> location = RunLocation.fromSpyglassUrl(pj.url());
            location.ifPresent(l -> allBuckets.merge(l.bucket(), 1, Integer::sum));
            if (pj.job() == null || !selects.matches(pj)) {
                return;
            }
            Seen seen = jobs.computeIfAbsent(pj.job(), j -> new Seen());
            location.ifPresent(l -> {
                seen.buckets.merge(l.bucket(), 1, Integer::sum);
                String prefix = pathPrefix(l.path(), pj.job());
                if (prefix != null) {
                    seen.prefixes.merge(prefix, 1, Integer::sum);
                }
            });
            JobType type = type(pj.type());
            if (type != null && (seen.type == null || type != JobType.BATCH)) {
                seen.type = type; // a presubmit job's batch runs do not hide that it is a presubmit
            }
            if (pj.buildId() != null && seen.snowflakes == null) {
                seen.snowflakes = BuildIds.isSnowflake(pj.buildId(), latest);
            }
        }

        /**
         * The jobs seen, plus the job named exactly by the filter.
         *
         * @param bucketOverride {@code --bucket}, or null
         * @throws IllegalArgumentException when a job's bucket cannot be told (named exactly, not in deck, no
         *                                  {@code --bucket} and no other run to take the bucket from)
         */
        public synchronized List<BackfillJob> jobs(String bucketOverride) {
            JobType wanted = type(filter.type());
            String named = filter.job() != null && !filter.job().isEmpty() && !filter.job().contains("*")
                    ? filter.job() : null;
            Map<String, Seen> all = new TreeMap<>(jobs);
            if (named != null && !all.containsKey(named)) {
                all.put(named, new Seen());
            }
            List<BackfillJob> selected = new ArrayList<>();
            for (Map.Entry<String, Seen> entry : all.entrySet()) {
                Seen seen = entry.getValue();
                String bucket = bucketOverride != null && !bucketOverride.isBlank() ? bucketOverride
                        : mostCommon(seen.buckets) != null ? mostCommon(seen.buckets) : mostCommon(allBuckets);
                if (bucket == null) {
                    throw new IllegalArgumentException("job " + entry.getKey() + " is not in deck's payload and no"
                            + " run there tells the bucket: give it with --bucket");
                }
                var layouts = Layout.forJob(seen.type, wanted);
                String prefix = mostCommon(seen.prefixes);
                if (!layouts.isEmpty()) {
                    selected.add(new BackfillJob(entry.getKey(), bucket, prefix == null ? "" : prefix, layouts,
                            seen.type, seen.snowflakes));
                }
            }
            return selected;
        }
    }

    /** A collector for a payload read elsewhere (by a scrape); {@code now} for telling snowflake ids. */
    public static Collector collector(JobFilter filter, Instant now) {
        return new Collector(filter, now);
    }

    /**
     * Reads {@code deck} and selects its jobs.
     *
     * @param deck           the current payload (deck or a saved file)
     * @param filter         the scrape filters; only job name and repository select jobs (the others apply to
     *                       each run's record)
     * @param bucketOverride {@code --bucket}, or null
     * @param now            for telling snowflake ids
     * @throws IllegalArgumentException as {@link Collector#jobs}
     */
    public static List<BackfillJob> select(ProwJobSource deck, JobFilter filter, String bucketOverride, Instant now)
            throws IOException {
        Collector collector = collector(filter, now);
        deck.read(collector, (done, total) -> { });
        return collector.jobs(bucketOverride);
    }

    /**
     * What precedes Prow's layout in a run's path ({@code <prefix>logs/<job>/<build>},
     * {@code <prefix>pr-logs/pull/...}): the installation's path prefix, or null when the path is not Prow's.
     */
    static String pathPrefix(String path, String job) {
        String full = "/" + path;
        for (String marker : new String[] {"/logs/" + job + "/", "/pr-logs/pull/"}) {
            int at = full.lastIndexOf(marker);
            if (at >= 0) {
                return full.substring(1, at + 1);
            }
        }
        return null;
    }

    private static JobType type(String type) {
        if (type == null || type.isEmpty()) {
            return null;
        }
        try {
            return JobType.fromProw(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String mostCommon(Map<String, Integer> counts) {
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(null);
    }
}
