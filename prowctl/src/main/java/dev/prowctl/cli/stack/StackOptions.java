package dev.prowctl.cli.stack;

import java.nio.file.Path;

import dev.prowctl.stack.Compose;
import dev.prowctl.stack.ComposeFiles;
import dev.prowctl.stack.HostEnvironment;
import dev.prowctl.stack.ProcessRunner;
import picocli.CommandLine.Option;

/** The options every stack command shares: which compose project and file. */
public final class StackOptions {

    @Option(names = "--project-name", paramLabel = "NAME", defaultValue = "${env:PROWCTL_STACK_PROJECT:-prowctl}",
            description = "Compose project name; everything the stack creates carries it (default: ${DEFAULT-VALUE},"
                    + " env PROWCTL_STACK_PROJECT).")
    String projectName;

    @Option(names = "--file", paramLabel = "FILE",
            description = "The compose file (default: the docker-compose.yml of the prowctl checkout around the"
                    + " current directory, else of the checkout the prowctl jar was built in).")
    Path file;

    /** Locates the compose file and docker/compose on the host's PATH (exit 8 when missing). */
    Compose compose(HostEnvironment host, ProcessRunner runner) {
        Path composeFile = ComposeFiles.locate(file, host);
        return Compose.detect(host, runner, projectName, composeFile);
    }
}
