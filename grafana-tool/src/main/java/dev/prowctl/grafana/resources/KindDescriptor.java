package dev.prowctl.grafana.resources;

import dev.prowctl.grafana.GrafanaVersion;

/**
 * What prowctl knows about a resource kind before asking Grafana: its name (the {@code --kinds} value), the
 * directory of its files in an export, the oldest Grafana that has it, and why older ones are skipped.
 *
 * @param whySkipped the reason given with "Grafana 8.4.6 has no templates"; null when every version has the kind
 */
public record KindDescriptor(String name, String directory, GrafanaVersion minimumVersion, String whySkipped) {

    private static final GrafanaVersion ANY = new GrafanaVersion(0, 0, 0, "0.0.0");

    /** A kind every supported Grafana has. */
    public static KindDescriptor everywhere(String name, String directory) {
        return new KindDescriptor(name, directory, ANY, null);
    }

    public boolean supportedBy(GrafanaVersion version) {
        return version.compareTo(minimumVersion) >= 0;
    }

    /** Why {@code version} lacks this kind ("Grafana 8.4.6 has no templates (...)"), or null when it has it. */
    public String skipReason(GrafanaVersion version) {
        if (supportedBy(version)) {
            return null;
        }
        return "Grafana " + version + " has no " + name + (whySkipped == null ? "" : " (" + whySkipped + ")");
    }
}
