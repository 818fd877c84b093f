package dev.prowctl.grafana;

import java.util.Locale;
import java.util.Map;

/**
 * One firing alert, the same shape for legacy (8.x) and unified (9+) alerting.
 *
 * @param name    the rule name ({@code alertname} label on 9+)
 * @param state   the state as Grafana reports it ("alerting", "active", ...)
 * @param message the summary/description annotation on 9+, the rule message on 8.x; may be empty
 * @param url     a link to the rule or panel; may be empty
 * @param labels  the alert's labels (empty on 8.x)
 * @param since   when it started firing, as Grafana wrote it (RFC 3339); may be empty
 */
public record FiringAlert(String name, String state, String message, String url, Map<String, String> labels,
                          String since) {

    public FiringAlert {
        labels = Map.copyOf(labels);
    }

    /** True when every word occurs, case-insensitively, in the name or the message (no words: true). */
    public boolean matches(Iterable<String> words) {
        String haystack = (name + "\n" + message).toLowerCase(Locale.ROOT);
        for (String word : words) {
            if (!haystack.contains(word.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
