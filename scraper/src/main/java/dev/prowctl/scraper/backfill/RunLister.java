package dev.prowctl.scraper.backfill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.flake.LookupFailed;
import dev.prowctl.scraper.flake.NotServed;

/**
 * Lists the runs of one job in one layout within a window, page by page (1,000 names a page on GCS).
 *
 * <p>GCS lists names in lexicographic order only, never newest first. Snowflake build ids of one job all have 19
 * digits and grow with time, so for them the listing is bounded on the server: {@code startOffset} is the directory
 * plus the first id of {@code since}, {@code endOffset} the first id of {@code until}, and a job with 100,000 runs
 * costs as many pages as its runs in the window. When deck showed no run of the job, its {@code latest-build.txt}
 * tells whether its ids are snowflakes. Other ids (short sequential numbers of old Prow setups) are listed in full,
 * and the window is applied to each run's start time after it is read.
 */
final class RunLister {

    /** What one listing found. */
    record Listed(List<RunRef> runs, int alreadyDone, boolean byBuildId, String problem) {
    }

    private static final int MAX_PAGES = 100_000;

    private final Bucket bucket;
    private final Deadline deadline;

    RunLister(Bucket bucket, Deadline deadline) {
        this.bucket = bucket;
        this.deadline = deadline;
    }

    /**
     * The runs of {@code job} under {@code layout} in [{@code since}, {@code until}) that are not in {@code done}.
     * A page that fails (after retries) ends the listing: the runs found before it are returned with the problem.
     */
    Listed list(BackfillJob job, Layout layout, Instant since, Instant until, Set<String> done, Instant now) {
        String dir = job.directory(layout);
        List<RunRef> runs = new ArrayList<>();
        boolean snowflakes;
        try {
            snowflakes = job.snowflakes() != null ? job.snowflakes() : latestIsSnowflake(job, dir, now);
        } catch (LookupFailed | NotServed e) {
            return new Listed(runs, 0, false, describe(job, dir, e, 0));
        }
        String start = snowflakes ? dir + BuildIds.firstAt(since) : null;
        String end = snowflakes ? dir + BuildIds.firstAt(until) : null;
        String startId = snowflakes ? BuildIds.firstAt(since) : null;
        String endId = snowflakes ? BuildIds.firstAt(until) : null;
        String token = null;
        int pages = 0;
        int alreadyDone = 0;
        do {
            Bucket.Page page;
            try {
                page = bucket.list(job.bucket(), dir, start, end, token, deadline);
            } catch (LookupFailed | NotServed e) {
                return new Listed(runs, alreadyDone, snowflakes, describe(job, dir, e, pages));
            }
            pages++;
            for (String name : page.names()) {
                String id = buildId(layout, dir, name);
                if (id == null
                        || snowflakes && (BuildIds.compare(id, startId) < 0 || BuildIds.compare(id, endId) >= 0)) {
                    continue;
                }
                if (done.contains(id)) {
                    alreadyDone++;
                    continue;
                }
                if (layout.aliases()) {
                    runs.add(new RunRef(job, layout, id, name, linkedRun(job, id, page.metadata().get(name))));
                } else {
                    String object = name.substring(0, name.length() - 1);
                    runs.add(new RunRef(job, layout, id, object, object));
                }
            }
            token = page.next();
            if (pages >= MAX_PAGES && token != null) {
                return new Listed(runs, alreadyDone, snowflakes, "job " + job.name() + ": listing " + dir + " stopped after "
                        + MAX_PAGES + " pages; the runs past them are left out");
            }
        } while (token != null);
        return new Listed(runs, alreadyDone, snowflakes, null);
    }

    /**
     * The run directory a presubmit alias's metadata links to, or null when it has no usable link (then the alias
     * is read). Prow's uploader stores the run's {@code gs://<bucket>/<path>} with the alias as custom metadata
     * {@code x-goog-meta-link} (pod-utils' gcsupload); bootstrap.py's {@code gsutil -h 'x-goog-meta-link: ...'}
     * stored it as {@code link}, sometimes with a trailing space. A link is used only when it points into the same
     * bucket, under {@code pr-logs/pull/} (after the path prefix; where {@code target.go} puts every presubmit
     * run), at a directory named after the job and this build: a link anywhere else is not followed.
     */
    static String linkedRun(BackfillJob job, String buildId, Map<String, String> metadata) {
        if (metadata == null) {
            return null;
        }
        String link = metadata.getOrDefault("x-goog-meta-link", metadata.get("link"));
        String inBucket = "gs://" + job.bucket() + "/";
        if (link == null || !(link = link.strip()).startsWith(inBucket)) {
            return null;
        }
        String path = link.substring(inBucket.length());
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith(job.pathPrefix() + "pr-logs/pull/")
                || !path.endsWith("/" + job.name() + "/" + buildId)) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '?' || c == '#' || c == '\\')) {
                return null;
            }
        }
        return path;
    }

    /** The build id a listed name stands for, or null for anything else ({@code latest-build.txt}, stray files). */
    private static String buildId(Layout layout, String dir, String name) {
        if (!name.startsWith(dir)) {
            return null;
        }
        String rest = name.substring(dir.length());
        String id;
        if (layout.aliases()) {
            if (!rest.endsWith(".txt") || rest.contains("/")) {
                return null;
            }
            id = rest.substring(0, rest.length() - ".txt".length());
        } else {
            if (!rest.endsWith("/") || rest.indexOf('/') != rest.length() - 1) {
                return null;
            }
            id = rest.substring(0, rest.length() - 1);
        }
        return !id.isEmpty() && id.chars().allMatch(Character::isDigit) ? id : null;
    }

    private boolean latestIsSnowflake(BackfillJob job, String dir, Instant now) throws LookupFailed, NotServed {
        Optional<String> latest = bucket.read(job.bucket(), dir + "latest-build.txt", deadline);
        return latest.isPresent() && BuildIds.isSnowflake(latest.get().strip(), now.plus(Duration.ofDays(1)));
    }

    private static String describe(BackfillJob job, String dir, Exception e, int pages) {
        String where = pages == 0 ? "" : " (after " + pages + " page" + (pages == 1 ? "" : "s")
                + "; the runs listed before are read)";
        String problem = TerminalText.oneLine(Redaction.text(String.valueOf(e.getMessage())));
        if (e instanceof NotServed) {
            return "job " + job.name() + ": bucket " + job.bucket() + " refuses listing " + dir + ": " + problem;
        }
        // "GET <listing URL> failed...": the URL only repeats the directory with its query parameters
        int afterUrl = problem.indexOf(' ', "GET ".length());
        if (problem.startsWith("GET ") && afterUrl > 0 && problem.startsWith(" failed", afterUrl)) {
            problem = problem.substring(afterUrl + " failed".length());
        } else {
            problem = ": " + problem;
        }
        return "job " + job.name() + ": listing " + dir + " failed" + problem + where;
    }
}
