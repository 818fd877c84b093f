package dev.prowctl.cli.grafana;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.Prowctl;
import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaException;
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

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:GRAFANA_TOKEN}",
            showDefaultValue = Visibility.NEVER,
            description = "Service-account token or API key (default: $GRAFANA_TOKEN). Prefer --token-file.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:GRAFANA_TOKEN_FILE}",
            description = "Read the token from FILE (default: $GRAFANA_TOKEN_FILE); wins over --token.")
    Path tokenFile;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "${env:GRAFANA_USER}",
            description = "Basic-auth user (default: $GRAFANA_USER), used when no token is given.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:GRAFANA_PASSWORD}",
            showDefaultValue = Visibility.NEVER,
            description = "Basic-auth password (default: $GRAFANA_PASSWORD).")
    String password;

    private GrafanaClient client;

    /** The Grafana client of this command, built once (and shared by everything the command does). */
    public synchronized GrafanaClient client() {
        if (client == null) {
            client = new GrafanaClient(Prowctl.root(spec).httpClient().newBuilder()
                    .readTimeout(Duration.ofSeconds(60)).build(), settings(), this::verbose);
        }
        return client;
    }

    GrafanaSettings settings() {
        String tokenValue = token;
        if (tokenFile != null) {
            try {
                tokenValue = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CommandFailure(ExitCodes.BAD_INPUT, "cannot read --token-file " + tokenFile + ": " + e);
            }
            if (tokenValue.isEmpty()) {
                throw new CommandFailure(ExitCodes.BAD_INPUT, "--token-file " + tokenFile + " is empty");
            }
        }
        try {
            return GrafanaSettings.of(url, tokenValue, user, password);
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

    /** The command failure (one-line message, documented exit code) for a Grafana failure. */
    public static CommandFailure failure(GrafanaException e) {
        int code = switch (e.problem()) {
            case UNREACHABLE -> ExitCodes.UNREACHABLE;
            case AUTH -> ExitCodes.AUTH;
            case UNSUPPORTED -> ExitCodes.UNSUPPORTED;
            case BAD_INPUT -> ExitCodes.BAD_INPUT;
            case NOT_FOUND, CONFLICT, SERVER_ERROR -> ExitCodes.SERVER_ERROR;
        };
        return new CommandFailure(code, e.getMessage(), e);
    }
}
