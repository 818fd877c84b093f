package dev.prowctl.cli.grafana;

import java.nio.file.Path;
import java.time.Duration;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.DurationConverter;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.Prowctl;
import dev.prowctl.cli.Secret;
import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaSettings;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where Grafana is and how to log in, shared by every {@code prowctl grafana} command. The client is built on first
 * use, so {@code --help} never needs a URL or token. Secrets are never shown, not even as defaults in --help.
 */
public final class GrafanaConnection {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:GRAFANA_URL:-http://localhost:3000}",
            description = {"Grafana's URL, may include a sub-path (https://host/grafana/) and user:password@ as the "
                    + "original scripts took it.", "Default: $GRAFANA_URL, then http://localhost:3000."})
    String url;

    @Option(names = "--token", paramLabel = "TOKEN|@FILE", defaultValue = "${env:GRAFANA_TOKEN}",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            description = "Service-account token or API key, or @FILE to read it from FILE (default: $GRAFANA_TOKEN).")
    Secret token;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:GRAFANA_TOKEN_FILE}",
            description = "Deprecated: use --token @FILE. Read the token from FILE (default: $GRAFANA_TOKEN_FILE); "
                    + "wins over --token.")
    Path tokenFile;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "${env:GRAFANA_USER}",
            description = "Basic-auth user (default: $GRAFANA_USER), used when no token is given.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD|@FILE", defaultValue = "${env:GRAFANA_PASSWORD}",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            description = "Basic-auth password, or @FILE to read it from FILE (default: $GRAFANA_PASSWORD).")
    Secret password;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest silence allowed from Grafana (connect and read), e.g. 30s, 2m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private GrafanaClient client;

    /** The Grafana client of this command, built once (and shared by everything the command does). */
    public synchronized GrafanaClient client() {
        if (client == null) {
            client = new GrafanaClient(Prowctl.root(spec).httpClient().newBuilder()
                    .connectTimeout(timeout).readTimeout(timeout).build(), settings(), this::verbose);
        }
        return client;
    }

    GrafanaSettings settings() {
        String tokenValue = tokenFile != null ? Secret.read(tokenFile, "--token-file")
                : Secret.reveal(token, "--token");
        try {
            return GrafanaSettings.of(url, tokenValue, user, Secret.reveal(password, "--password"));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--url: " + e.getMessage());
        }
    }

    void verbose(String line) {
        if (Prowctl.root(spec).verbose()) {
            var err = spec.commandLine().getErr();
            synchronized (err) {
                err.println("grafana: " + line);
                err.flush();
            }
        }
    }
}
