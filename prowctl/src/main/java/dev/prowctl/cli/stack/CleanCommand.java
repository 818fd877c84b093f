package dev.prowctl.cli.stack;

import dev.prowctl.stack.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prowctl stack clean}: compose down for this project only. */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Stop and remove the stack's containers and network (compose down for this project only).",
                "Never touches other projects' containers, volumes or images; never runs docker system prune."})
public final class CleanCommand implements Runnable {

    @Spec
    CommandSpec spec;

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
    public void run() {
        Stack stack = options.stack(dryRun);
        stack.down(volumes, images);
        if (!dryRun) {
            spec.commandLine().getErr().println("Removed the containers and network of project "
                    + stack.compose().project() + (volumes ? ", its volumes" : "")
                    + (images ? ", the images it built" : "") + ".");
        }
    }
}
