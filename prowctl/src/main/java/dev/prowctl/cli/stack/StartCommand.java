package dev.prowctl.cli.stack;

import java.time.Duration;

import dev.prowctl.cli.DurationConverter;
import dev.prowctl.stack.Stack;
import dev.prowctl.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prowctl stack start}: compose up, wait for health, say where Grafana is. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start the stack (compose up -d under the project name), wait until InfluxDB and Grafana"
                + " (with COMPOSE_PROFILES=prometheus also the exporter, Prometheus and Alertmanager) are healthy,"
                + " then print the Grafana URL and where its credentials come from.",
                "Refuses the default Grafana password when compose would publish Grafana beyond loopback, as"
                        + " `compose config` resolves the compose file, .env and the environment; with the"
                        + " prometheus profile, a relay token file Alertmanager cannot use."})
public final class StartCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions options;

    @Option(names = "--build", description = "Rebuild the Telegraf image (with the prowctl jar) before starting.")
    boolean build;

    @Option(names = "--no-wait", description = "Return once the containers are started, without waiting for health.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s", converter = DurationConverter.class,
            description = "How long to wait for health, e.g. 90s, 5m; a plain number is seconds "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--dry-run", description = "Print the docker commands that change something instead of running"
            + " them (the read-only `compose config` of the password check still runs).")
    boolean dryRun;

    @Override
    public void run() {
        Stack stack = options.stack(dryRun);
        StackSettings settings = stack.settings();
        settings.checkExposure();
        settings.checkRelayToken();
        stack.up(build);
        if (dryRun) {
            return;
        }
        if (!noWait) {
            stack.awaitHealthy(timeout, settings.healthChecked());
        }
        spec.commandLine().getOut().println("Grafana: " + settings.grafanaUrl() + " (" + settings.credentialsHint()
                + ")");
        if (settings.prometheusProfile()) {
            spec.commandLine().getOut().println("Prometheus: " + settings.hostUrl("prometheus", 9090)
                    + " (dashboards: Grafana's folder Prow, \"Prow (Prometheus): ...\")");
        }
    }
}
