package dev.prowctl.relay;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Answers what is said to the relay in its channel, as the original bot did: {@code <nick>: alerts [words...]} lists
 * the firing alerts (or says {@code No alerts}); anything else gets {@code Not understood: <cmd>}.
 */
public final class IrcBot {
    static final String NO_GRAFANA = "No Grafana configured: start the relay with --grafana-url to ask for alerts";
    /** An IRC channel is no place for hundreds of lines: the rest is counted. */
    static final int MAX_ALERT_LINES = 20;

    private final FiringAlertsSource source;

    /** @param source null when no Grafana is configured */
    public IrcBot(FiringAlertsSource source) {
        this.source = source;
    }

    /** The command addressed to {@code nick} in {@code text} ("nick: cmd" or "nick, cmd"), or null. */
    static String addressedTo(String nick, String text) {
        String trimmed = text.strip();
        if (trimmed.length() <= nick.length() || !trimmed.regionMatches(true, 0, nick, 0, nick.length())) {
            return null;
        }
        char after = trimmed.charAt(nick.length());
        if (after != ':' && after != ',') {
            return null;
        }
        return trimmed.substring(nick.length() + 1).strip();
    }

    /** The lines to say in answer to {@code command}. */
    public List<String> answer(String command) {
        List<String> words = Arrays.asList(command.strip().split("\\s+"));
        if (command.isBlank() || !words.get(0).toLowerCase(Locale.ROOT).equals("alerts")) {
            return List.of("Not understood: " + command.strip());
        }
        if (source == null) {
            return List.of(NO_GRAFANA);
        }
        List<String> lines;
        try {
            lines = source.firing(words.subList(1, words.size()));
        } catch (IOException e) {
            return List.of("Could not get alerts from Grafana: " + e.getMessage());
        }
        if (lines.isEmpty()) {
            return List.of("No alerts");
        }
        if (lines.size() > MAX_ALERT_LINES) {
            List<String> shown = new java.util.ArrayList<>(lines.subList(0, MAX_ALERT_LINES));
            shown.add("... and " + (lines.size() - MAX_ALERT_LINES) + " more firing alerts");
            return shown;
        }
        return lines;
    }
}
