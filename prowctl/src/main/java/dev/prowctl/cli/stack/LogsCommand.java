package dev.prowctl.cli.stack;

import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code prowctl stack logs [SERVICE] [-f]}: compose logs for this project. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of the stack's services, or of one (influxdb, grafana, telegraf; relay, exporter,"
                + " prometheus, alertmanager with their profiles).")
public final class LogsCommand implements Runnable {

    /** A compose service name; anything else (e.g. "--project-name=x" after "--") would reach compose as an option. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    @Spec
    CommandSpec spec;

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
        if (service != null && !SERVICE_NAME.matcher(service).matches()) {
            throw new ParameterException(spec.commandLine(), "'" + service + "' is not a service name: stack logs"
                    + " passes no options to compose (the project is set by --project-name of prowctl itself)");
        }
        options.stack(false).logs(service, follow, tail);
    }
}
