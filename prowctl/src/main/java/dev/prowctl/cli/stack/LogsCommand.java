package dev.prowctl.cli.stack;

import java.util.concurrent.Callable;

import dev.prowctl.cli.ExitCodes;
import dev.prowctl.stack.HostEnvironment;
import dev.prowctl.stack.ProcessRunner;
import dev.prowctl.stack.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prowctl stack logs [SERVICE] [-f]}: compose logs for this project. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of the stack's services, or of one (influxdb, grafana, telegraf).")
public final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    StackCommand stack;

    @Mixin
    StackOptions options;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this service's logs.")
    String service;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new log lines until interrupted.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "LINES", description = "Only the last LINES lines of each service.")
    Integer tail;

    @Override
    public Integer call() {
        HostEnvironment host = stack.host();
        ProcessRunner runner = new ProcessRunner(host);
        new Stack(options.compose(host, runner), runner, host, spec.commandLine().getOut(),
                spec.commandLine().getErr(), false).logs(service, follow, tail);
        return ExitCodes.OK.code();
    }
}
