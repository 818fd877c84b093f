package dev.prowctl.scraper.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * InfluxDB line protocol, one point per run. The schema (documented in the README):
 * <ul>
 * <li>tags, each omitted when empty: {@code job_name, type, rehearsal, org, repo, base_ref, pull_request, target,
 * cluster_profile, variant, cluster}. Nothing that changes over a run's life or differs per run is a tag, so a
 * re-scrape overwrites the same point and series grow with jobs and PRs, not with runs;</li>
 * <li>fields: {@code build_id, state, state_int, duration, start_time, end_time, log, prowjob_url, artifacts_url,
 * pull_request_url, flake_reason};</li>
 * <li>timestamp: the start time in ns plus (build id mod 10^9), so two runs of one job started in the same second
 * are two points, and the same run always lands on the same point.</li>
 * </ul>
 * Escaping follows what influxd accepts: see {@link #measurement}, {@link #tagValue}, {@link #fieldString}.
 */
public final class LineProtocol implements RunEncoder {

    public static final String DEFAULT_MEASUREMENT = "build";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The tags, in the order of each line. */
    private static final String[] TAG_KEYS = {"job_name", "type", "rehearsal", "org", "repo", "base_ref",
        "pull_request", "target", "cluster_profile", "variant", "cluster"};

    /**
     * InfluxDB's limit, in bytes, on a series key (measurement and tags, escaped) plus {@code #!~#} plus a field key:
     * influxd rejects a longer line ("max key length exceeded").
     */
    public static final int MAX_KEY_BYTES = 65_535;

    /** The longest measurement name accepted (escaped, in bytes): the room {@link #keyProblem} keeps for it. */
    public static final int MAX_MEASUREMENT_BYTES = 1024;

    /** What a run's tags may take: the key limit less the measurement, {@code #!~#} and the longest field key. */
    public static final int TAG_BYTES = MAX_KEY_BYTES - MAX_MEASUREMENT_BYTES - "#!~#".length()
            - "pull_request_url".length();

    private final String measurement;

    public LineProtocol(String measurement) {
        this.measurement = measurement(measurement);
    }

    @Override
    public void write(ProwRun run, Appendable out) throws IOException {
        out.append(line(run)).append('\n');
    }

    /** One line, without its LF. */
    public String line(ProwRun run) {
        StringBuilder line = new StringBuilder(512).append(measurement);
        String[] tags = tagValues(run);
        for (int i = 0; i < TAG_KEYS.length; i++) {
            tag(line, TAG_KEYS[i], tags[i]);
        }
        line.append(' ');
        line.append("build_id=");
        appendFieldString(line, run.id());
        line.append(",state=");
        appendFieldString(line, run.state());
        line.append(",state_int=").append(run.stateInt()).append('i');
        line.append(",duration=").append(run.durationSeconds()).append('i');
        line.append(",start_time=");
        appendFieldString(line, run.startTime().toString());
        line.append(",end_time=");
        appendFieldString(line, run.endTime().toString());
        field(line, "log", run.logUrl());
        field(line, "prowjob_url", run.prowjobUrl());
        field(line, "artifacts_url", run.artifactsUrl());
        field(line, "pull_request_url", run.pullRequestUrl());
        field(line, "flake_reason", run.flakeReason());
        line.append(' ').append(timestamp(run));
        return line.toString();
    }

    private static String[] tagValues(ProwRun run) {
        return new String[] {run.job(), run.type().prowName(), String.valueOf(run.rehearsal()), run.org(),
            run.repo(), run.baseRef(), run.pullRequest() == null ? null : run.pullRequest().toString(), run.target(),
            run.clusterProfile(), run.variant(), run.cluster()};
    }

    /**
     * Null when the run's point fits InfluxDB's key limit under any measurement name this class accepts; else why
     * not, naming the longest tag. A run that fails this cannot be stored, like one whose time is outside what
     * InfluxDB can store.
     */
    public static String keyProblem(ProwRun run) {
        String[] tags = tagValues(run);
        long chars = 0;
        for (int i = 0; i < tags.length; i++) {
            chars += TAG_KEYS[i].length() + 2 + (tags[i] == null ? 0 : tags[i].length());
        }
        if (chars * 3 <= TAG_BYTES) {
            // escaping adds at most a byte per ASCII char, UTF-8 takes at most 3 bytes per char: it fits
            return null;
        }
        long bytes = 0;
        long longest = 0;
        String longestKey = null;
        for (int i = 0; i < tags.length; i++) {
            String escaped = tagValue(tags[i]);
            if (escaped != null) {
                long tagBytes = utf8Length(escaped);
                bytes += TAG_KEYS[i].length() + 2 + tagBytes;
                if (tagBytes > longest) {
                    longest = tagBytes;
                    longestKey = TAG_KEYS[i];
                }
            }
        }
        return bytes <= TAG_BYTES ? null : "its tags take " + bytes + " bytes (" + longestKey + " " + longest
                + "), more than InfluxDB's 64 KB series key limit leaves (" + TAG_BYTES + ")";
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // a surrogate pair is 4 bytes: 2 per half
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** Start time in ns + (build id mod 10^9); a non-numeric id uses a stable hash instead. */
    public static long timestamp(ProwRun run) {
        long startNanos = Math.multiplyExact(run.startTime().getEpochSecond(), NANOS_PER_SECOND)
                + run.startTime().getNano();
        return startNanos + idOffset(run.id());
    }

    static long idOffset(String id) {
        if (!id.isEmpty() && allDigits(id)) {
            // 10^9 divides every higher place value: the remainder is the number formed by the last nine digits
            return Long.parseLong(id.substring(Math.max(0, id.length() - 9)));
        }
        long hash = 0xcbf29ce484222325L; // FNV-1a 64: stable across JVMs, unlike String.hashCode's use here
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return Long.remainderUnsigned(hash, NANOS_PER_SECOND);
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static void tag(StringBuilder line, String key, String value) {
        String escaped = tagValue(value);
        if (escaped != null) {
            line.append(',').append(key).append('=').append(escaped);
        }
    }

    private static void field(StringBuilder line, String key, String value) {
        if (value != null && !value.isEmpty()) {
            line.append(',').append(key).append('=');
            appendFieldString(line, value);
        }
    }

    /**
     * A tag value influxd stores as given: CR, LF and TAB become spaces (a raw LF would split the line), {@code ,}
     * {@code =} and space are backslash-escaped, and trailing backslashes are dropped (influxd cannot store a tag
     * value ending in a backslash). Other backslashes are kept as they are: influxd does not unescape them.
     * Returns null when nothing is left: the tag is then omitted.
     */
    public static String tagValue(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (isPlain(value)) {
            return value;
        }
        String clean = value.replace('\r', ' ').replace('\n', ' ').replace('\t', ' ');
        int end = clean.length();
        while (end > 0 && clean.charAt(end - 1) == '\\') {
            end--;
        }
        clean = clean.substring(0, end);
        if (clean.isBlank()) {
            return null;
        }
        StringBuilder out = new StringBuilder(clean.length() + 8);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * True when a tag value needs no change: no character influxd treats specially, no trailing backslash. Scans a
     * Latin-1 copy (every special character is ASCII; others become {@code ?}): a byte array loop, where
     * {@code charAt} would be a call per character under C1, the launcher's only compiler.
     */
    private static boolean isPlain(String value) {
        for (byte c : value.getBytes(StandardCharsets.ISO_8859_1)) {
            if (c == ',' || c == '=' || c == ' ' || c == '\\' || c == '\n' || c == '\r' || c == '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * A string field value: quoted, with {@code "} and {@code \} escaped, and CR and LF replaced by spaces (line
     * protocol has no escape for them, and a raw one would split the record over two physical lines).
     */
    public static String fieldString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        appendFieldString(out, value);
        return out.toString();
    }

    private static void appendFieldString(StringBuilder out, String value) {
        out.append('"');
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            out.append(value);
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c == '\n' || c == '\r' ? ' ' : c);
            }
        }
        out.append('"');
    }

    /**
     * A measurement name: {@code ,} and space escaped; rejected when it would make the line a comment (leading
     * {@code #}), is empty, contains a line break or ends in a backslash.
     */
    public static String measurement(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the measurement name is empty");
        }
        if (name.startsWith("#")) {
            throw new IllegalArgumentException(
                    "a measurement name cannot start with # (InfluxDB reads the line as a comment)");
        }
        if (name.endsWith("\\") || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a measurement name cannot contain a line break or end in a backslash");
        }
        String escaped = name.replace(",", "\\,").replace(" ", "\\ ");
        if (utf8Length(escaped) > MAX_MEASUREMENT_BYTES) {
            throw new IllegalArgumentException("a measurement name may take at most " + MAX_MEASUREMENT_BYTES
                    + " bytes (InfluxDB's key limit is shared with the tags)");
        }
        return escaped;
    }
}
