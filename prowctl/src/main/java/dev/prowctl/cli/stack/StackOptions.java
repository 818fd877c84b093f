package dev.prowctl.cli.stack;

import java.nio.file.Path;

import dev.prowctl.stack.Compose;
import dev.prowctl.stack.ComposeFiles;
import dev.prowctl.stack.HostEnvironment;
import dev.prowctl.stack.ProcessRunner;
import dev.prowctl.stack.Stack;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every stack command shares (which compose project and file), and the stack driver they make. */
public final class StackOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--project-name", paramLabel = "NAME", defaultValue = "${env:PROWCTL_STACK_PROJECT:-prowctl}",
            description = "Compose project name; everything the stack creates carries it (default: ${DEFAULT-VALUE},"
                    + " env PROWCTL_STACK_PROJECT).")
    String projectName;

    @Option(names = "--file", paramLabel = "FILE",
            description = "The compose file (default: the docker-compose.yml of the prowctl checkout around the"
                    + " current directory, else of the checkout the prowctl jar was built in).")
    Path file;

    /**
     * The stack driver of this command: docker and compose on the host of {@code prowctl stack}, its output on the
     * command's stdout and stderr. Locating the compose file and docker fails with exit 8 when one is missing.
     */
    Stack stack(boolean dryRun) {
        HostEnvironment host = ((StackCommand) spec.parent().userObject()).host();
        ProcessRunner runner = new ProcessRunner(host);
        Compose compose = Compose.detect(host, runner, projectName, ComposeFiles.locate(file, host));
        return new Stack(compose, runner, host, spec.commandLine().getOut(), spec.commandLine().getErr(), dryRun);
    }
}
