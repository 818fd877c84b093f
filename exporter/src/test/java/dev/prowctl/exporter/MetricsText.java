package dev.prowctl.exporter;

import java.util.Map;

/** Reads one sample's value out of a text-format exposition, by metric name and (a subset of) its labels. */
final class MetricsText {

    private MetricsText() {
    }

    /** The value, or null when no sample matches. Throws when several do. */
    static Double value(String text, String name, Map<String, String> labels) {
        Double found = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = labels.entrySet().stream()
                    .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
            if (!all) {
                continue;
            }
            if (found != null) {
                throw new AssertionError("several samples of " + name + labels + " in\n" + text);
            }
            String[] parts = line.trim().split(" ");
            found = Double.parseDouble(parts[parts.length - 1]);
        }
        return found;
    }
}
