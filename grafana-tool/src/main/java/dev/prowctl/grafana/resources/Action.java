package dev.prowctl.grafana.resources;

/** What an import does (or, with --dry-run, would do) to one resource. */
public enum Action {
    CREATE, UPDATE, UNCHANGED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
