package dev.prowctl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import javax.net.ssl.SSLSocketFactory;

import dev.prowctl.relay.FiringAlertsSource;
import dev.prowctl.relay.IrcBot;
import dev.prowctl.relay.IrcOutput;
import dev.prowctl.relay.IrcTarget;
import dev.prowctl.relay.IrcTls;
import dev.prowctl.relay.RelayLog;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code relay}'s IRC output: the channel, the relay's account, TLS trust and pacing. */
final class RelayIrcOptions {

    @Option(names = "--irc", paramLabel = "URL", defaultValue = "${env:PROWCTL_RELAY_IRC}",
            description = "IRC channel: ircs://host[:6697]/#channel (TLS) or irc://host[:6667]/#channel;"
                    + " a channel key as ?key=KEY.")
    String irc;

    @Option(names = "--irc-nick", paramLabel = "NICK", defaultValue = "${env:PROWCTL_RELAY_IRC_NICK:-prowctl}",
            description = "Nick of the relay and its bot (default: ${DEFAULT-VALUE}).")
    String nick;

    @Option(names = "--irc-password", paramLabel = "SECRET|@FILE",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            defaultValue = "${env:PROWCTL_IRC_PASSWORD}",
            description = "Account password: SASL PLAIN, or NickServ IDENTIFY when the server has no SASL"
                    + " (env PROWCTL_IRC_PASSWORD).")
    Secret password;

    @Option(names = "--irc-ca-file", paramLabel = "PEM",
            description = "Trust the certificates in this PEM file for ircs:// (a private CA or a self-signed"
                    + " server), instead of the JVM's default trust store.")
    Path caFile;

    @Option(names = "--irc-rate", paramLabel = "LINES", defaultValue = "3",
            description = "IRC lines per second after the burst (default: ${DEFAULT-VALUE}; ngIRCd allows 3-4).")
    double rate;

    @Option(names = "--irc-burst", paramLabel = "LINES", defaultValue = "8",
            description = "IRC lines sent at once before pacing starts (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--irc-max-lines", paramLabel = "LINES", defaultValue = "5",
            description = "Lines one alert may take in the channel; the rest is cut with a count and the alert's"
                    + " link (chat webhooks still get the whole text) (default: ${DEFAULT-VALUE}).")
    int maxLines;

    /** True when an IRC channel was given. */
    boolean enabled() {
        return irc != null && !irc.isBlank();
    }

    /** The IRC output; its bot answers from {@code alerts} (null: no Grafana, the bot says so). */
    IrcOutput output(FiringAlertsSource alerts, RelayLog log) {
        IrcTarget target;
        try {
            target = IrcTarget.parse(irc);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
        if (!nick.matches("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,29}")) {
            throw new CommandFailure(ExitCodes.USAGE, "not a valid IRC nick: " + nick);
        }
        SSLSocketFactory tls = null;
        if (caFile != null) {
            try {
                tls = IrcTls.trusting(caFile);
            } catch (IOException | GeneralSecurityException e) {
                throw new CommandFailure(ExitCodes.BAD_INPUT, "--irc-ca-file " + caFile + ": " + e.getMessage());
            }
        }
        return new IrcOutput(new IrcOutput.Settings(target, nick, RelayListenOptions.printableAscii(
                Secret.reveal(password, "--irc-password"), "--irc-password"), rate,
                burst, tls, maxLines), new IrcBot(alerts), log);
    }
}
