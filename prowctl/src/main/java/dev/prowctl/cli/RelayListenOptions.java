package dev.prowctl.cli;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

import dev.prowctl.relay.WebhookAuth;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code relay}'s options for where it listens and which webhooks it accepts. */
final class RelayListenOptions {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "${env:PROWCTL_RELAY_LISTEN:-127.0.0.1:9095}",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--auth-token", paramLabel = "SECRET|@FILE",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            defaultValue = "${env:PROWCTL_RELAY_AUTH_TOKEN}",
            description = "Accept webhooks with 'Authorization: Bearer SECRET' (env PROWCTL_RELAY_AUTH_TOKEN).")
    Secret authToken;

    @Option(names = "--basic-auth", paramLabel = "USER:PASS|@FILE",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            defaultValue = "${env:PROWCTL_RELAY_BASIC_AUTH}",
            description = "Accept webhooks with these Basic credentials (env PROWCTL_RELAY_BASIC_AUTH).")
    Secret basicAuth;

    @Option(names = "--hmac-secret", paramLabel = "SECRET|@FILE",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            defaultValue = "${env:PROWCTL_RELAY_HMAC_SECRET}",
            description = "Accept webhooks signed by Grafana (X-Grafana-Alerting-Signature, HMAC-SHA256)"
                    + " (env PROWCTL_RELAY_HMAC_SECRET).")
    Secret hmacSecret;

    @Option(names = "--hmac-timestamp-header", paramLabel = "HEADER",
            defaultValue = WebhookAuth.DEFAULT_TIMESTAMP_HEADER,
            description = "Header with the signature's Unix timestamp, when Grafana sends one"
                    + " (default: ${DEFAULT-VALUE}).")
    String hmacTimestampHeader;

    @Option(names = "--hmac-max-age", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "Refuse signatures whose timestamp is further off than this, e.g. 90s or 5m; a plain"
                    + " number is seconds (default: ${DEFAULT-VALUE}).")
    Duration hmacMaxAge;

    @Option(names = "--insecure",
            description = "Allow listening on a non-loopback address without any authentication.")
    boolean insecure;

    /** The webhook authentication asked for (none when no credentials were given). */
    WebhookAuth auth() {
        String basic = printableAscii(Secret.reveal(basicAuth, "--basic-auth"), "--basic-auth");
        if (basic != null && basic.indexOf(':') < 1) {
            throw new CommandFailure(ExitCodes.USAGE, "--basic-auth must be USER:PASSWORD");
        }
        return new WebhookAuth(printableAscii(Secret.reveal(authToken, "--auth-token"), "--auth-token"), basic,
                printableAscii(Secret.reveal(hmacSecret, "--hmac-secret"), "--hmac-secret"), hmacTimestampHeader,
                hmacMaxAge, Clock.systemUTC());
    }

    /**
     * A secret that goes into a header or an IRC line must be printable ASCII: CR/LF would end the line, and senders
     * encode other characters in ways that never match. A usage error that does not show the secret.
     */
    static String printableAscii(String secret, String option) {
        if (secret != null && !secret.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new CommandFailure(ExitCodes.USAGE, option + " must be printable ASCII (no CR, LF, control or"
                    + " non-ASCII characters)");
        }
        return secret;
    }

    /** Refuses an address other than loopback without authentication, unless --insecure. */
    void requireAuthOffLoopback(InetSocketAddress address, WebhookAuth auth) {
        if (!auth.configured() && !address.getAddress().isLoopbackAddress() && !insecure) {
            throw new CommandFailure(ExitCodes.USAGE, "refusing to listen on " + listen + " without authentication:"
                    + " give --auth-token, --basic-auth or --hmac-secret (or --insecure)");
        }
    }

    /** The address to listen on. */
    InetSocketAddress address() {
        return LongRunning.listenAddress(listen);
    }
}
