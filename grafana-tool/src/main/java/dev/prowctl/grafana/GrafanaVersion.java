package dev.prowctl.grafana;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Grafana server version as {@code /api/health} reports it ("12.1.0-16426244399": only the leading x.y.z
 * counts), with the feature switches prowctl needs.
 */
public record GrafanaVersion(int major, int minor, int patch, String raw) implements Comparable<GrafanaVersion> {

    private static final Pattern LEADING = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** @throws IllegalArgumentException when the string has no leading x.y[.z] */
    public static GrafanaVersion parse(String raw) {
        Matcher m = LEADING.matcher(raw == null ? "" : raw.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised Grafana version '" + raw + "'");
        }
        return new GrafanaVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), raw.strip());
    }

    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** Service accounts and their tokens (GA in 9); before that only legacy API keys exist. */
    public boolean hasServiceAccounts() {
        return atLeast(9, 0);
    }

    /** Legacy {@code POST /api/auth/keys} was removed in 11.3.0. */
    public boolean hasLegacyApiKeyCreation() {
        return !atLeast(11, 3);
    }

    /** Unified alerting (provisioning API, Grafana-managed Alertmanager) is the default from 9. */
    public boolean hasUnifiedAlerting() {
        return atLeast(9, 0);
    }

    /** Legacy dashboard alerting ({@code /api/alerts}, {@code /api/alert-notifications}) was removed in 11. */
    public boolean hasLegacyAlerting() {
        return !atLeast(11, 0);
    }

    /** Nested folders are on by default from 11. */
    public boolean hasNestedFolders() {
        return atLeast(11, 0);
    }

    /** "8.4", "11.6": the release line. */
    public String line() {
        return major + "." + minor;
    }

    @Override
    public int compareTo(GrafanaVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
