package dev.prowctl.scraper.flake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * What becomes of the failed runs whose verdict could not be told this time. A run is left out (deferred: the next
 * scrape emits it once, with its final state) only while that keeps it out of the time series for a bounded time;
 * otherwise it is emitted now as {@code failure} with {@code flake_reason="undecided:<why>"}:
 * <ul>
 * <li>the cause will not go away by itself (unknown host, 401/403 from both the API and gcsweb);</li>
 * <li>no run of this scrape had artifacts at the configured URLs (they are wrong, or the network is a stand-in);</li>
 * <li>it was first left undecided {@code maxDeferral} ago or more (kept in the {@link FlakeCache});</li>
 * <li>it is about to leave deck's window: a later scrape would no longer see it;</li>
 * <li>the state directory cannot be written, so when it was first deferred would be forgotten.</li>
 * </ul>
 * A run emitted as undecided is looked up again by later scrapes; its final verdict then replaces the same point.
 */
final class Deferrals {

    static final String UNDECIDED = "undecided:";
    /** How long deck serves a finished run, counted from its start: OpenShift's max_prowjob_age (upstream: 7 d). */
    static final Duration DECK_WINDOW = Duration.ofHours(24);
    /** "About to leave": within this of the window's end (two scrapes at Telegraf's 30 min interval). */
    static final Duration LEAVING_MARGIN = Duration.ofHours(1);

    /** The decision for one scrape: the runs emitted now (by index), how many are left out, and one warning. */
    record Outcome(Map<Integer, ProwRun> emitted, int deferred, String warning) {
    }

    private final ClassifierSettings settings;
    private final FlakeCache cache;

    Deferrals(ClassifierSettings settings, FlakeCache cache) {
        this.settings = settings;
        this.cache = cache;
    }

    /**
     * @param runs        the runs of the scrape
     * @param undecided   why each run (by index) could not be told
     * @param anyVerdict  true when some lookup of this scrape reached a verdict
     * @param now         the injected clock's time
     * @param remembered  false when the cache cannot keep when runs were first deferred (unwritable state
     *                    directory): then none is left out, the bound could not hold
     */
    Outcome decide(List<ProwRun> runs, Map<Integer, LookupFailed> undecided, boolean anyVerdict, Instant now,
                   boolean remembered) {
        long missing = undecided.values().stream().filter(LookupFailed::noArtifacts).count();
        boolean urlsLookWrong = !anyVerdict && missing > 0;
        Map<Integer, ProwRun> emitted = new TreeMap<>();
        Map<Integer, LookupFailed> deferred = new TreeMap<>();
        for (Map.Entry<Integer, LookupFailed> entry : new TreeMap<>(undecided).entrySet()) {
            ProwRun run = runs.get(entry.getKey());
            LookupFailed why = entry.getValue();
            Instant since = cache.deferredSince(ArtifactsClassifier.cacheKey(run), now, run.endTime());
            boolean emitNow = !remembered || why.lasting() || urlsLookWrong && why.noArtifacts()
                    || !now.isBefore(since.plus(settings.maxDeferral()))
                    || !now.isBefore(run.startTime().plus(DECK_WINDOW).minus(LEAVING_MARGIN));
            if (emitNow) {
                emitted.put(entry.getKey(), run.classified(false, UNDECIDED + why.why()));
            } else {
                deferred.put(entry.getKey(), why);
            }
        }
        String warning = undecided.isEmpty() ? null
                : warning(runs, undecided, emitted, deferred, urlsLookWrong ? missing : 0);
        return new Outcome(emitted, deferred.size(), warning);
    }

    /** One line: how many were emitted undecided and why, how many left out, what to check, the first three. */
    private String warning(List<ProwRun> runs, Map<Integer, LookupFailed> undecided, Map<Integer, ProwRun> emitted,
                           Map<Integer, LookupFailed> deferred, long missingEverywhere) {
        StringBuilder message = new StringBuilder().append(undecided.size()).append(" failed run(s) not classified");
        if (!emitted.isEmpty()) {
            TreeSet<String> reasons = new TreeSet<>();
            emitted.values().forEach(run -> reasons.add(run.flakeReason()));
            message.append(", ").append(emitted.size()).append(" emitted as failure with flake_reason ")
                    .append(String.join(" or ", reasons));
        }
        if (!deferred.isEmpty()) {
            long deadline = deferred.values().stream().filter(f -> f instanceof LookupFailed.DeadlinePassed).count();
            message.append(", ").append(deferred.size()).append(" left out until the next scrape (")
                    .append(deadline).append(" by the deadline, ").append(deferred.size() - deadline)
                    .append(" by failed lookups; at most ").append(describe(settings.maxDeferral())).append(')');
        }
        if (missingEverywhere > 0) {
            message.append("; artifacts of all ").append(missingEverywhere)
                    .append(" failed runs looked up are missing at --gcs-api-url ")
                    .append(Redaction.url(settings.gcsApiUrl().toString())).append(" and ")
                    .append(settings.gcswebPrefix() == null ? "the spyglass pages' Artifacts links"
                            : "--gcsweb-url " + Redaction.url(settings.gcswebPrefix().toString()))
                    .append("; check them");
        } else if (undecided.values().stream().allMatch(f -> "unknown-host".equals(f.why()))) {
            message.append("; no network? --no-flakes skips the lookups");
        }
        // examples: the first three, or the first one when all share one cause
        int shown = undecided.values().stream().map(LookupFailed::why).distinct().count() == 1 ? 1 : 3;
        undecided.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(shown).forEach(e -> message
                .append("; ").append(runs.get(e.getKey()).job()).append(" #").append(runs.get(e.getKey()).id())
                .append(": ").append(TerminalText.oneLine(Redaction.text(e.getValue().getMessage()))));
        if (undecided.size() > shown) {
            message.append("; ...");
        }
        return message.toString();
    }

    private static String describe(Duration duration) {
        return duration.toMinutes() % 60 == 0 ? duration.toHours() + "h" : duration.toMinutes() + "m";
    }
}
