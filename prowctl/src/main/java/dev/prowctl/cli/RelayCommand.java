package dev.prowctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.prowctl.relay.ChatWebhookOutput;
import dev.prowctl.relay.LogOutput;
import dev.prowctl.relay.Output;
import dev.prowctl.relay.Relay;
import dev.prowctl.relay.RelayClock;
import dev.prowctl.relay.RelayLog;
import dev.prowctl.relay.WebhookAuth;
import dev.prowctl.relay.WebhookServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.ArgGroup;
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
                "Secrets (--auth-token, --basic-auth, --hmac-secret, --irc-password, --grafana-token,"
                        + " --slack-webhook) can come from their environment variables, or from a file with @FILE,"
                        + " to keep them off the command line."})
public final class RelayCommand implements Runnable {

    @Spec
    CommandSpec spec;

    // The groups only sort the options in --help; none is required. An instance is given so that the options'
    // defaults apply when no option of a group is on the command line.
    @ArgGroup(exclusive = false, validate = false, heading = "%nListening and authentication:%n")
    RelayListenOptions webhooks = new RelayListenOptions();

    @ArgGroup(exclusive = false, validate = false, heading = "%nIRC:%n")
    RelayIrcOptions irc = new RelayIrcOptions();

    @ArgGroup(exclusive = false, validate = false, heading = "%nChat and log:%n")
    RelayChatOptions chat = new RelayChatOptions();

    @ArgGroup(exclusive = false, validate = false, heading = "%nGrafana, for the IRC bot's 'alerts' command:%n")
    RelayGrafanaOptions grafana = new RelayGrafanaOptions();

    @Option(names = "--queue-size", paramLabel = "MESSAGES", defaultValue = "10000",
            description = "Messages each output may hold before webhooks get 503 (default: ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(names = "--queue-mib", paramLabel = "MIB", defaultValue = "64",
            description = "Memory each output's queue may take, in MiB, before webhooks get 503; alerts are first cut"
                    + " to 16384 characters (default: ${DEFAULT-VALUE}).")
    int queueMib;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.ZeroAllowed.class,
            description = "On SIGTERM, time to deliver what is queued, e.g. 30s or 2m; a plain number is seconds"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration grace;

    enum Format { human, json }

    @Option(names = {"-o", "--output"}, paramLabel = "human|json", defaultValue = "human",
            description = "json: one JSON access-log line per request on stdout (default: ${DEFAULT-VALUE}).")
    Format output;

    @Override
    public void run() {
        boolean verbose = Prowctl.root(spec).verbose();
        PrintWriter err = spec.commandLine().getErr();
        RelayLog log = new RelayLog(err, verbose);
        InetSocketAddress address = webhooks.address();
        WebhookAuth auth = webhooks.auth();
        webhooks.requireAuthOffLoopback(address, auth);
        if (queueSize < 1 || queueMib < 1 || irc.rate <= 0 || irc.burst < 1 || irc.maxLines < 1) {
            throw new CommandFailure(ExitCodes.USAGE,
                    "--queue-size, --queue-mib, --irc-rate, --irc-burst and --irc-max-lines must be positive");
        }
        List<Output> outputs = outputs(log);
        Relay relay = new Relay(outputs, queueSize, (long) queueMib << 20, log, RelayClock.SYSTEM);
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
            throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot listen on " + webhooks.listen + ": "
                    + e.getMessage());
        }
        relay.start();
        server.start();
        log.info("listening on http://" + hostPort(server.address()) + "/hook; outputs: "
                + String.join(", ", outputs.stream().map(Output::name).toList()));
        runUntilStopped(server, relay, log);
    }

    /** Waits for SIGTERM (or an interrupt), then stops taking webhooks and delivers what it can within --grace. */
    private void runUntilStopped(WebhookServer server, Relay relay, RelayLog log) {
        LongRunning.runUntilStopped("relay", () -> {
            log.info("stopping: delivering what is queued (up to " + grace.toSeconds() + " s)");
            server.close();
            relay.shutdown(grace);
        });
    }

    private List<Output> outputs(RelayLog log) {
        List<Output> outputs = new ArrayList<>();
        if (irc.enabled()) {
            outputs.add(irc.output(grafana.firingAlerts(() -> httpClient(Duration.ofSeconds(20)), log), log));
        }
        List<String> chatUrls = chat.webhookUrls();
        if (!chatUrls.isEmpty()) {
            OkHttpClient http = httpClient(Duration.ofSeconds(30));
            for (String url : chatUrls) {
                HttpUrl parsed = HttpUrl.parse(url);
                if (parsed == null) {
                    throw new CommandFailure(ExitCodes.USAGE, "--slack-webhook is not an http(s) URL");
                }
                outputs.add(new ChatWebhookOutput(http, parsed));
            }
        }
        if (chat.logAlerts || outputs.isEmpty()) {
            if (outputs.isEmpty()) {
                log.info("no --irc or --slack-webhook given: relayed alerts go to stderr only");
            }
            outputs.add(new LogOutput(log));
        }
        return outputs;
    }

    private OkHttpClient httpClient(Duration callTimeout) {
        return Prowctl.root(spec).httpClient().newBuilder().callTimeout(callTimeout).build();
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
