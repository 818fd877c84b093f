package dev.prowctl.scraper.prow;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.prowctl.scraper.output.LineProtocol;

/**
 * Turns a ProwJob into a {@link ProwRun}: the links, the rehearsal flag and the ci-operator details that are not
 * plain fields of the ProwJob.
 */
public final class RunDeriver {

    /** OpenShift CI's gcsweb, where a run's artifacts are browsable. */
    public static final String DEFAULT_GCSWEB = "https://gcsweb-ci.apps.ci.l2s4.p1.openshiftapps.com/gcs/";

    static final String REHEARSE_LABEL = "ci.openshift.io/rehearse";
    static final String CLUSTER_PROFILE_LABEL = "ci-operator.openshift.io/cloud-cluster-profile";
    static final String VARIANT_LABEL = "ci-operator.openshift.io/variant";

    private final DeckUrl deck;
    private final String gcswebPrefix;

    /** {@code gcswebPrefix} blank or null: the gcsweb is unknown, runs get no artifacts link. */
    public RunDeriver(DeckUrl deck, String gcswebPrefix) {
        this.deck = deck;
        this.gcswebPrefix = gcswebPrefix == null || gcswebPrefix.isBlank() ? null
                : gcswebPrefix.endsWith("/") ? gcswebPrefix : gcswebPrefix + "/";
    }

    /** A run is finished once prow set {@code completionTime} (the state alone is not reliable). */
    public static boolean isFinished(ProwJob pj) {
        return pj.completionTime() != null;
    }

    /**
     * An {@code /override} leaves a {@code success} ProwJob without build id whose description starts
     * "Overridden by" and whose URL is a GitHub comment: not a run.
     */
    public static boolean isOverride(ProwJob pj) {
        return pj.buildId() == null || pj.description() != null && pj.description().startsWith("Overridden by");
    }

    /**
     * Derives the run of a finished, non-override ProwJob.
     *
     * @throws IllegalArgumentException naming the field when a required value is missing or unreadable
     */
    public ProwRun derive(ProwJob pj) {
        if (pj.type() == null) {
            throw new IllegalArgumentException("no spec.type");
        }
        ProwRun.JobType type;
        try {
            type = ProwRun.JobType.fromProw(pj.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown spec.type \"" + pj.type() + "\"");
        }
        if (pj.state() == null) {
            throw new IllegalArgumentException("no status.state");
        }
        Instant start = time(pj.startTime(), "status.startTime");
        Instant end = time(pj.completionTime(), "status.completionTime");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("status.completionTime is before status.startTime");
        }
        ProwJob.Refs main = pj.mainRefs();
        ProwJob.Pull pull = pj.refs() == null || pj.refs().pulls().isEmpty() ? null : pj.refs().pulls().get(0);
        boolean rehearsal = pj.labels().containsKey(REHEARSE_LABEL) || pj.job().startsWith("rehearse-");
        String variant = nonEmpty(pj.labels().get(VARIANT_LABEL));
        if (variant == null) {
            variant = argValue(pj.args(), "--variant=");
        }
        ProwRun run = new ProwRun(pj.buildId(), pj.name(), pj.job(), type, rehearsal, pj.state(), start, end,
                main == null ? null : main.org(), main == null ? null : main.repo(),
                main == null ? null : main.baseRef(),
                pull == null ? null : pull.number(), pull == null ? null : pull.link(),
                pull == null ? null : pull.sha(),
                argValue(pj.args(), "--target="), nonEmpty(pj.labels().get(CLUSTER_PROFILE_LABEL)), variant,
                pj.cluster(), pj.url(), pj.name() == null ? null : deck.prowjobPage(pj.name()),
                artifactsUrl(pj.url()), null);
        // like a time outside InfluxDB's range: a point InfluxDB cannot store is skipped in every output format
        String keyProblem = LineProtocol.keyProblem(run);
        if (keyProblem != null) {
            throw new IllegalArgumentException(keyProblem);
        }
        return run;
    }

    /** gcsweb prefix + the {@code <bucket>/<path>} of a spyglass URL + {@code /}; null for other URLs. */
    String artifactsUrl(String statusUrl) {
        if (statusUrl == null || gcswebPrefix == null) {
            return null;
        }
        int at = statusUrl.indexOf("/view/gs/");
        if (at < 0) {
            return null;
        }
        String path = statusUrl.substring(at + "/view/gs/".length());
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() ? null : gcswebPrefix + path + "/";
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static String argValue(List<String> args, String flag) {
        for (String arg : args) {
            if (arg.startsWith(flag) && arg.length() > flag.length()) {
                return arg.substring(flag.length());
            }
        }
        return null;
    }

    /**
     * The times InfluxDB can store: nanoseconds since 1970 in a signed 64-bit integer (1677-09-21 to 2262-04-11).
     * A run outside them cannot be a point, so it is skipped as unusable in every output format.
     */
    private static final Instant EARLIEST = Instant.ofEpochSecond(0, Long.MIN_VALUE).plusSeconds(1);
    private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE).minusSeconds(1);

    private static Instant time(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("no " + field);
        }
        Instant time = parseUtcSeconds(value);
        if (time == null) {
            try {
                time = Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " is not an RFC 3339 time: \"" + value + "\"");
            }
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new IllegalArgumentException(field + " " + value + " is outside the times InfluxDB can store"
                    + " (1677 to 2262)");
        }
        return time;
    }

    /**
     * Prow's own form, {@code 2022-03-23T04:01:07Z}, read without a formatter (twice per run on payloads of tens of
     * thousands of runs); anything else returns null and goes through {@link Instant#parse}.
     */
    static Instant parseUtcSeconds(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
