package dev.prowctl.relay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.prowctl.grafana.FiringAlert;
import dev.prowctl.grafana.GrafanaAlerts;
import dev.prowctl.grafana.GrafanaException;

/**
 * The bot's firing alerts, from the Grafana client ({@code /api/alerts} on 8.x, the unified-alerting Alertmanager
 * on 9+). One line per alert: {@code name - message <url>}, sorted by name.
 */
public final class GrafanaAlertsSource implements FiringAlertsSource {

    private final GrafanaAlerts alerts;

    public GrafanaAlertsSource(GrafanaAlerts alerts) {
        this.alerts = alerts;
    }

    @Override
    public List<String> firing(List<String> words) throws IOException {
        List<FiringAlert> firing;
        try {
            firing = alerts.firing(words);
        } catch (GrafanaException e) {
            // The bot says this line in the channel; GrafanaException messages never carry credentials.
            throw new IOException(e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>(firing.size());
        for (FiringAlert alert : firing) {
            StringBuilder line = new StringBuilder(alert.name());
            if (!alert.message().isBlank()) {
                line.append(" - ").append(alert.message());
            }
            if (!alert.url().isBlank()) {
                line.append(' ').append(alert.url());
            }
            lines.add(WebhookParser.oneLine(line.toString()));
        }
        lines.sort(null);
        return lines;
    }
}
