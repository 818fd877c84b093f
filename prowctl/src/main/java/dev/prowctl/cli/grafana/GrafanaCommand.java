package dev.prowctl.cli.grafana;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Groups the Grafana helpers; it has no behaviour of its own. */
@Command(name = "grafana", mixinStandardHelpOptions = true,
        description = "Grafana helpers: create an API key, export and import dashboards, list firing alerts.",
        subcommands = {CreateKeyCommand.class, ExportCommand.class, ImportCommand.class,
                AlertsCommand.class})
public final class GrafanaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
