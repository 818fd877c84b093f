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
            description = "The compose file (default: docker-compose.yml in the current directory or a parent,"
                    + " else the prowctl checkout's).")
    Path file;

    /** Locates the compose file and docker/compose on the host's PATH (exit 8 when missing). */
    Compose compose(HostEnvironment host, ProcessRunner runner) {
        Path composeFile = ComposeFiles.locate(file, host);
        return Compose.detect(host, runner, projectName, composeFile);
    }
}
