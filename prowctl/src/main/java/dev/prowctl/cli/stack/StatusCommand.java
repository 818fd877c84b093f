package dev.prowctl.cli.stack;

import java.util.concurrent.Callable;

import dev.prowctl.cli.ExitCodes;
import dev.prowctl.stack.HostEnvironment;
import dev.prowctl.stack.ProcessRunner;
import dev.prowctl.stack.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prowctl stack status}: compose ps for this project. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the stack's services with their state, health and ports (compose ps).")
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    StackCommand stack;

    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        HostEnvironment host = stack.host();
        ProcessRunner runner = new ProcessRunner(host);
        new Stack(options.compose(host, runner), runner, host, spec.commandLine().getOut(),
                spec.commandLine().getErr(), false).status();
        return ExitCodes.OK.code();
    }
}
