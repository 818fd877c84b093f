package dev.prowctl.cli.stack;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.prowctl.cli.ExitCodes;
import dev.prowctl.stack.Compose;
import dev.prowctl.stack.HostEnvironment;
import dev.prowctl.stack.ProcessRunner;
import dev.prowctl.stack.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prowctl stack clean}: compose down for this project only. */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Stop and remove the stack's containers and network (compose down for this project only).",
                "Never touches other projects' containers, volumes or images; never runs docker system prune."})
public final class CleanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    StackCommand stack;

    @Mixin
    StackOptions options;

    @Option(names = "--volumes", description = "Also remove the project's named volumes: the InfluxDB data,"
            + " Grafana's database and prowctl's flake state are lost.")
    boolean volumes;

    @Option(names = "--images", description = "Also remove the images compose built for this project (Telegraf).")
    boolean images;

    @Option(names = "--dry-run", description = "Print the docker command instead of running it.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostEnvironment host = stack.host();
        ProcessRunner runner = new ProcessRunner(host);
        Compose compose = options.compose(host, runner);
        new Stack(compose, runner, host, out, err, dryRun).down(volumes, images);
        if (!dryRun) {
            err.println("Removed the containers and network of project " + compose.project()
                    + (volumes ? ", its volumes" : "") + (images ? ", the images it built" : "") + ".");
        }
        return ExitCodes.OK.code();
    }
}
