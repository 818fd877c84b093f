package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSocketFactory;

import dev.prowctl.grafana.GrafanaAlerts;
import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaSettings;
import dev.prowctl.relay.ChatWebhookOutput;
import dev.prowctl.relay.FiringAlertsSource;
import dev.prowctl.relay.GrafanaAlertsSource;
import dev.prowctl.relay.IrcBot;
import dev.prowctl.relay.IrcOutput;
import dev.prowctl.relay.IrcTarget;
import dev.prowctl.relay.IrcTls;
import dev.prowctl.relay.LogOutput;
import dev.prowctl.relay.Output;
import dev.prowctl.relay.Relay;
import dev.prowctl.relay.RelayLog;
import dev.prowctl.relay.WebhookAuth;
import dev.prowctl.relay.WebhookServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prowctl relay}: alert webhooks in, IRC / chat / log lines out, nothing lost on the way. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {
                "Receive Grafana and Alertmanager alert webhooks and relay them to IRC and chat.",
                "POST /hook (or /) takes Alertmanager v4, Grafana unified and legacy Grafana bodies; GET /healthz"
                        + " is 200 when every output is usable, 503 with a JSON reason otherwise.",
                "A webhook is answered 200 once queued for every output, 503 when a queue is full (the sender"
                        + " retries). Runs until SIGTERM/Ctrl-C, then delivers what it can within --grace.",
                "Secrets (--auth-token, --basic-auth, --hmac-secret, --irc-password, --grafana-token) can come from"
                        + " their environment variables, or from a file with @FILE, to keep them off the command line."})
public final class RelayCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "${env:PROWCTL_RELAY_LISTEN:-127.0.0.1:9095}",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--irc", paramLabel = "URL", defaultValue = "${env:PROWCTL_RELAY_IRC}",
            description = "IRC channel: ircs://host[:6697]/#channel (TLS) or irc://host[:6667]/#channel;"
                    + " a channel key as ?key=KEY.")
    String irc;

    @Option(names = "--irc-nick", paramLabel = "NICK", defaultValue = "${env:PROWCTL_RELAY_IRC_NICK:-prowctl}",
            description = "Nick of the relay and its bot (default: ${DEFAULT-VALUE}).")
    String ircNick;

    @Option(names = "--irc-password", paramLabel = "SECRET|@FILE", defaultValue = "${env:PROWCTL_IRC_PASSWORD}",
            description = "Account password: SASL PLAIN, or NickServ IDENTIFY when the server has no SASL"
                    + " (env PROWCTL_IRC_PASSWORD).")
    String ircPassword;

    @Option(names = "--irc-ca-file", paramLabel = "PEM",
            description = "Trust the certificates in this PEM file for ircs:// (a private CA or a self-signed"
                    + " server), instead of the JVM's default trust store.")
    Path ircCaFile;

    @Option(names = "--irc-rate", paramLabel = "LINES", defaultValue = "3",
            description = "IRC lines per second after the burst (default: ${DEFAULT-VALUE}; ngIRCd allows 3-4).")
    double ircRate;

    @Option(names = "--irc-burst", paramLabel = "LINES", defaultValue = "8",
            description = "IRC lines sent at once before pacing starts (default: ${DEFAULT-VALUE}).")
    int ircBurst;

    @Option(names = "--slack-webhook", paramLabel = "URL|@FILE",
            description = "Chat incoming-webhook URL in Slack format (Slack, Mattermost, Rocket.Chat); repeatable."
                    + " The URL is a secret: @FILE reads URLs from a file (one a line), and the environment"
                    + " variable PROWCTL_RELAY_SLACK_WEBHOOKS adds space-separated ones.")
    List<String> slackWebhooks = new ArrayList<>();

    @Option(names = "--log-alerts", description = "Also write each relayed message as a line on stderr"
            + " (the only output when neither --irc nor --slack-webhook is given).")
    boolean logAlerts;

    @Option(names = "--auth-token", paramLabel = "SECRET|@FILE", defaultValue = "${env:PROWCTL_RELAY_AUTH_TOKEN}",
            description = "Accept webhooks with 'Authorization: Bearer SECRET' (env PROWCTL_RELAY_AUTH_TOKEN).")
    String authToken;

    @Option(names = "--basic-auth", paramLabel = "USER:PASS|@FILE", defaultValue = "${env:PROWCTL_RELAY_BASIC_AUTH}",
            description = "Accept webhooks with these Basic credentials (env PROWCTL_RELAY_BASIC_AUTH).")
    String basicAuth;

    @Option(names = "--hmac-secret", paramLabel = "SECRET|@FILE", defaultValue = "${env:PROWCTL_RELAY_HMAC_SECRET}",
            description = "Accept webhooks signed by Grafana (X-Grafana-Alerting-Signature, HMAC-SHA256)"
                    + " (env PROWCTL_RELAY_HMAC_SECRET).")
    String hmacSecret;

    @Option(names = "--hmac-timestamp-header", paramLabel = "HEADER", defaultValue = WebhookAuth.DEFAULT_TIMESTAMP_HEADER,
            description = "Header with the signature's Unix timestamp, when Grafana sends one"
                    + " (default: ${DEFAULT-VALUE}).")
    String hmacTimestampHeader;

    @Option(names = "--hmac-max-age", paramLabel = "SECONDS", defaultValue = "300",
            description = "Refuse signatures whose timestamp is further off than this (default: ${DEFAULT-VALUE}).")
    long hmacMaxAgeSeconds;

    @Option(names = "--insecure",
            description = "Allow listening on a non-loopback address without any authentication.")
    boolean insecure;

    @Option(names = "--queue-size", paramLabel = "MESSAGES", defaultValue = "10000",
            description = "Messages each output may hold before webhooks get 503 (default: ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM, time to deliver what is queued (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Option(names = "--grafana-url", paramLabel = "URL", defaultValue = "${env:GRAFANA_URL}",
            description = "Grafana to ask for firing alerts when someone says '<nick>: alerts [words]' (env"
                    + " GRAFANA_URL).")
    String grafanaUrl;

    @Option(names = "--grafana-token", paramLabel = "SECRET|@FILE", defaultValue = "${env:GRAFANA_TOKEN}",
            description = "Grafana service account token (env GRAFANA_TOKEN).")
    String grafanaToken;

    enum Format { human, json }

    @Option(names = {"-o", "--output"}, paramLabel = "human|json", defaultValue = "human",
            description = "json: one JSON access-log line per request on stdout (default: ${DEFAULT-VALUE}).")
    Format output;

    @Override
    public void run() {
        boolean verbose = Prowctl.root(spec).verbose();
        PrintWriter err = spec.commandLine().getErr();
        RelayLog log = new RelayLog(err, verbose);
        InetSocketAddress address = listenAddress();
        WebhookAuth auth = auth();
        if (!auth.configured() && !address.getAddress().isLoopbackAddress() && !insecure) {
            throw new CommandFailure(ExitCodes.USAGE, "refusing to listen on " + listen + " without authentication:"
                    + " give --auth-token, --basic-auth or --hmac-secret (or --insecure)");
        }
        if (queueSize < 1 || ircRate <= 0 || ircBurst < 1 || graceSeconds < 0) {
            throw new CommandFailure(ExitCodes.USAGE,
                    "--queue-size, --irc-rate and --irc-burst must be positive, --grace not negative");
        }
        List<Output> outputs = outputs(log);
        Relay relay = new Relay(outputs, queueSize, log);
        WebhookServer server;
        try {
            PrintWriter out = spec.commandLine().getOut();
            server = new WebhookServer(address, relay, auth, log, output == Format.json ? line -> {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            } : null);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot listen on " + listen + ": " + e.getMessage());
        }
        relay.start();
        server.start();
        log.info("listening on http://" + hostPort(server.address()) + "/hook; outputs: "
                + String.join(", ", outputs.stream().map(Output::name).toList()));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                log.info("stopping: delivering what is queued (up to " + graceSeconds + " s)");
                server.close();
                relay.shutdown(Duration.ofSeconds(graceSeconds));
                stopped.countDown();
            }
        };
        Thread hook = new Thread(stop, "relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Interrupted inside a running JVM (an embedding caller, a test): stop as on SIGTERM, and free the port,
            // the threads and the hook instead of leaving them behind.
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop.run();
            } catch (IllegalStateException jvmShuttingDown) {
                // The hook is already running and stops the relay.
            }
            Thread.currentThread().interrupt();
        }
    }

    private List<Output> outputs(RelayLog log) {
        List<Output> outputs = new ArrayList<>();
        if (irc != null && !irc.isBlank()) {
            IrcTarget target;
            try {
                target = IrcTarget.parse(irc);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
            }
            if (!ircNick.matches("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,29}")) {
                throw new CommandFailure(ExitCodes.USAGE, "not a valid IRC nick: " + ircNick);
            }
            SSLSocketFactory tls = null;
            if (ircCaFile != null) {
                try {
                    tls = IrcTls.trusting(ircCaFile);
                } catch (IOException | GeneralSecurityException e) {
                    throw new CommandFailure(ExitCodes.BAD_INPUT, "--irc-ca-file " + ircCaFile + ": " + e.getMessage());
                }
            }
            outputs.add(new IrcOutput(new IrcOutput.Settings(target, ircNick, secret(ircPassword, "--irc-password"),
                    ircRate, ircBurst, tls), new IrcBot(firingAlertsSource(log)), log));
        }
        List<String> chatUrls = chatWebhookUrls();
        if (!chatUrls.isEmpty()) {
            OkHttpClient http = Prowctl.root(spec).httpClient().newBuilder()
                    .callTimeout(Duration.ofSeconds(30))
                    .build();
            for (String url : chatUrls) {
                HttpUrl parsed = HttpUrl.parse(url);
                if (parsed == null) {
                    throw new CommandFailure(ExitCodes.USAGE, "--slack-webhook is not an http(s) URL");
                }
                outputs.add(new ChatWebhookOutput(http, parsed));
            }
        }
        if (logAlerts || outputs.isEmpty()) {
            if (outputs.isEmpty()) {
                log.info("no --irc or --slack-webhook given: relayed alerts go to stderr only");
            }
            outputs.add(new LogOutput(log));
        }
        return outputs;
    }

    /** The chat webhook URLs from the options (inline or @FILE) and PROWCTL_RELAY_SLACK_WEBHOOKS. */
    private List<String> chatWebhookUrls() {
        List<String> urls = new ArrayList<>();
        for (String value : slackWebhooks) {
            String urlsText = secret(value, "--slack-webhook");
            if (urlsText != null) {
                urlsText.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(urls::add);
            }
        }
        String fromEnv = System.getenv("PROWCTL_RELAY_SLACK_WEBHOOKS");
        if (fromEnv != null) {
            for (String url : fromEnv.strip().split("\\s+")) {
                if (!url.isEmpty()) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }

    /**
     * Builds the IRC bot's source of firing alerts, or null when no Grafana is configured (the bot then says so).
     * The one place the relay touches Grafana.
     */
    private FiringAlertsSource firingAlertsSource(RelayLog log) {
        if (grafanaUrl == null || grafanaUrl.isBlank()) {
            return null;
        }
        GrafanaSettings settings;
        try {
            settings = GrafanaSettings.of(grafanaUrl, secret(grafanaToken, "--grafana-token"), null, null);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--grafana-url: " + e.getMessage());
        }
        OkHttpClient http = Prowctl.root(spec).httpClient().newBuilder().callTimeout(Duration.ofSeconds(20)).build();
        return new GrafanaAlertsSource(new GrafanaAlerts(new GrafanaClient(http, settings, log::debug)));
    }

    private WebhookAuth auth() {
        String basic = secret(basicAuth, "--basic-auth");
        if (basic != null && basic.indexOf(':') < 1) {
            throw new CommandFailure(ExitCodes.USAGE, "--basic-auth must be USER:PASSWORD");
        }
        return new WebhookAuth(secret(authToken, "--auth-token"), basic, secret(hmacSecret, "--hmac-secret"),
                hmacTimestampHeader, Duration.ofSeconds(hmacMaxAgeSeconds), Clock.systemUTC());
    }

    /** A secret as given, or read from the file named after {@code @}; null when absent. Never echoed. */
    private static String secret(String value, String option) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.startsWith("@")) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (content.isEmpty()) {
                throw new CommandFailure(ExitCodes.BAD_INPUT, option + ": file " + file + " is empty");
            }
            return content;
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private InetSocketAddress listenAddress() {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen must be HOST:PORT, not " + listen);
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen port is not a number: " + listen);
        }
        if (port < 0 || port > 65535) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen port out of range: " + listen);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host), port);
        } catch (UnknownHostException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen host unknown: " + host);
        }
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
