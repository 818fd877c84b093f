package dev.prowctl.cli;

import java.util.function.Supplier;

import dev.prowctl.grafana.GrafanaAlerts;
import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaSettings;
import dev.prowctl.relay.FiringAlertsSource;
import dev.prowctl.relay.GrafanaAlertsSource;
import dev.prowctl.relay.RelayLog;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code relay}'s Grafana, which the IRC bot asks for firing alerts: the one place the relay touches Grafana. */
final class RelayGrafanaOptions {

    @Option(names = "--grafana-url", paramLabel = "URL", defaultValue = "${env:GRAFANA_URL}",
            description = "Grafana to ask for firing alerts when someone says '<nick>: alerts [words]' (env"
                    + " GRAFANA_URL).")
    String url;

    @Option(names = "--grafana-token", paramLabel = "SECRET|@FILE",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            defaultValue = "${env:GRAFANA_TOKEN}",
            description = "Grafana service account token (env GRAFANA_TOKEN).")
    Secret token;

    /** The bot's source of firing alerts, or null when no Grafana is configured (the bot then says so). */
    FiringAlertsSource firingAlerts(Supplier<OkHttpClient> http, RelayLog log) {
        if (url == null || url.isBlank()) {
            return null;
        }
        GrafanaSettings settings;
        try {
            settings = GrafanaSettings.of(url, Secret.reveal(token, "--grafana-token"), null, null);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--grafana-url: " + e.getMessage());
        }
        return new GrafanaAlertsSource(new GrafanaAlerts(new GrafanaClient(http.get(), settings, log::debug)));
    }
}
