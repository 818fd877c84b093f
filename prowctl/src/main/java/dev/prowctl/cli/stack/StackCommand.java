package dev.prowctl.cli.stack;

import dev.prowctl.stack.HostEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Groups the docker-compose stack commands; it has no behaviour of its own. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Start, inspect and clean the docker-compose stack (InfluxDB, Grafana, Telegraf running prowctl).",
        subcommands = {StartCommand.class, CleanCommand.class, StatusCommand.class, LogsCommand.class})
public final class StackCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** The machine the subcommands drive docker on; tests put a fake docker on this environment's PATH. */
    HostEnvironment host = HostEnvironment.current();

    HostEnvironment host() {
        return host;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
