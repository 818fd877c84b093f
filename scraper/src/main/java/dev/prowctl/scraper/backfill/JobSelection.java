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
        JobType type;
        Boolean snowflakes;
    }

    /**
     * @param deck           the current payload (deck or a saved file)
     * @param filter         the scrape filters; only job name and repository select jobs (the others apply to
     *                       each run's record)
     * @param bucketOverride {@code --bucket}, or null
     * @param now            for telling snowflake ids
     * @throws IllegalArgumentException when a job's bucket cannot be told (named exactly, not in deck, no
     *                                  {@code --bucket} and no other run to take the bucket from)
     */
    public static List<BackfillJob> select(ProwJobSource deck, JobFilter filter, String bucketOverride, Instant now)
            throws IOException {
        JobFilter.Matcher selects = new JobFilter(filter.job(), null, null, filter.repo(), null, null, null).matcher();
        Map<String, Seen> jobs = new TreeMap<>();
        Map<String, Integer> allBuckets = new HashMap<>();
        Instant latest = now.plus(Duration.ofDays(1));
        deck.read(pj -> {
            Optional<RunLocation> location = RunLocation.fromSpyglassUrl(pj.url());
            location.ifPresent(l -> allBuckets.merge(l.bucket(), 1, Integer::sum));
            if (pj.job() == null || !selects.matches(pj)) {
                return;
            }
            Seen seen = jobs.computeIfAbsent(pj.job(), j -> new Seen());
            location.ifPresent(l -> seen.buckets.merge(l.bucket(), 1, Integer::sum));
            JobType type = type(pj);
            if (type != null && (seen.type == null || type != JobType.BATCH)) {
                seen.type = type; // a presubmit job's batch runs do not hide that it is a presubmit
            }
            if (pj.buildId() != null && seen.snowflakes == null) {
                seen.snowflakes = BuildIds.isSnowflake(pj.buildId(), latest);
            }
        }, (done, total) -> { });
        JobType wanted = type(filter.type());
        String named = filter.job() != null && !filter.job().isEmpty() && !filter.job().contains("*")
                ? filter.job() : null;
        if (named != null && !jobs.containsKey(named)) {
            jobs.put(named, new Seen());
        }
        List<BackfillJob> selected = new ArrayList<>();
        for (Map.Entry<String, Seen> entry : jobs.entrySet()) {
            Seen seen = entry.getValue();
            String bucket = bucketOverride != null && !bucketOverride.isBlank() ? bucketOverride
                    : mostCommon(seen.buckets) != null ? mostCommon(seen.buckets) : mostCommon(allBuckets);
            if (bucket == null) {
                throw new IllegalArgumentException("job " + entry.getKey() + " is not in deck's payload and no run"
                        + " there tells the bucket: give it with --bucket");
            }
            var layouts = Layout.forJob(seen.type, wanted);
            if (!layouts.isEmpty()) {
                selected.add(new BackfillJob(entry.getKey(), bucket, layouts, seen.type, seen.snowflakes));
            }
        }
        return selected;
    }

    private static JobType type(ProwJob pj) {
        return type(pj.type());
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
