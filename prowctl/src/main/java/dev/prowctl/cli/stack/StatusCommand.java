package dev.prowctl.cli.stack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import dev.prowctl.stack.AlertingStatus;
import dev.prowctl.stack.PrometheusStatus;
import dev.prowctl.stack.Stack;

/** {@code prowctl stack status}: compose ps for this project, then whether its alerts reach the relay. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the stack's services with their state, health and ports (compose ps), then whether"
                + " alerting is wired: where Grafana sends alerts, the relay, the prowctl-relay contact point and the"
                + " relay's /healthz; with COMPOSE_PROFILES=prometheus, the exporter's /readyz, Prometheus' scrape of"
                + " it and its firing alerts, and Alertmanager's /-/ready."})
public final class StatusCommand implements Runnable {

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Stack stack = options.stack(false);
        stack.status();
        new AlertingStatus(stack).print(spec.commandLine().getOut(), spec.commandLine().getErr());
        new PrometheusStatus(stack).print(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
