package dev.prowctl.cli.stack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prowctl stack logs [SERVICE] [-f]}: compose logs for this project. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of the stack's services, or of one (influxdb, grafana, telegraf).")
public final class LogsCommand implements Runnable {

    @Mixin
    StackOptions options;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this service's logs.")
    String service;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new log lines until interrupted.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "LINES", description = "Only the last LINES lines of each service.")
    Integer tail;

    @Override
    public void run() {
        options.stack(false).logs(service, follow, tail);
    }
}
