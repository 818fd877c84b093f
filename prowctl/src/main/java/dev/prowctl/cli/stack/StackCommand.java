package dev.prowctl.cli.stack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Groups the docker-compose stack commands; it has no behaviour of its own. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Start, inspect and clean the docker-compose stack (InfluxDB, Grafana, Telegraf running prowctl).",
        subcommands = {})
public final class StackCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
