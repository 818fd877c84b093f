package dev.prowctl.cli.stack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prowctl stack status}: compose ps for this project. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the stack's services with their state, health and ports (compose ps).")
public final class StatusCommand implements Runnable {

    @Mixin
    StackOptions options;

    @Override
    public void run() {
        options.stack(false).status();
    }
}
