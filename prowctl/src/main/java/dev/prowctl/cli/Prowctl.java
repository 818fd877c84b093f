package dev.prowctl.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import dev.prowctl.cli.grafana.GrafanaCommand;
import dev.prowctl.cli.stack.StackCommand;
import okhttp3.OkHttpClient;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code prowctl} root command. {@link #main} is the only place that calls {@link System#exit}; tests call
 * {@link #run(PrintWriter, PrintWriter, String...)}.
 */
@Command(name = "prowctl",
        mixinStandardHelpOptions = true,
        versionProvider = Prowctl.Version.class,
        description = {
                "Prow CI job runs as time series, Grafana dashboards kept in git, alerts relayed to chat.",
                "Data goes to stdout; progress, warnings and errors go to stderr."},
        subcommands = {
                ScrapeCommand.class,
                GrafanaCommand.class,
                RelayCommand.class,
                StackCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class Prowctl implements Runnable {

    /** Shown at the end of every command's --help. */
    static final Map<String, String> EXIT_CODE_HELP = exitCodeHelp();

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Say more on stderr (endpoints used, each item), and show stack traces on errors.")
    boolean verbose;

    private OkHttpClient httpClient;

    /** The root command object of the command line that {@code spec} belongs to. */
    public static Prowctl root(CommandSpec spec) {
        return (Prowctl) spec.root().userObject();
    }

    public boolean verbose() {
        return verbose;
    }

    /**
     * The one HTTP client of this process, built on first use. API clients derive from it with
     * {@code newBuilder()} (own timeouts, same connection pool and dispatcher).
     */
    public synchronized OkHttpClient httpClient() {
        if (httpClient == null) {
            httpClient = new OkHttpClient.Builder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(60))
                    .writeTimeout(Duration.ofSeconds(60))
                    .retryOnConnectionFailure(true)
                    .build();
        }
        return httpClient;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        System.exit(code);
    }

    /** Runs one prowctl command line with the given streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Prowctl root = new Prowctl();
        CommandLine commandLine = newCommandLine(root, out, err);
        try {
            return commandLine.execute(LegacyFlags.translate(args));
        } finally {
            out.flush();
            err.flush();
            root.close();
        }
    }

    static CommandLine newCommandLine(Prowctl root, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(root);
        ErrorHandler errors = new ErrorHandler();
        commandLine.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true);
        addExitCodeHelp(commandLine);
        return commandLine;
    }

    private static void addExitCodeHelp(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(EXIT_CODE_HELP);
        commandLine.getSubcommands().values().forEach(Prowctl::addExitCodeHelp);
    }

    private void close() {
        if (httpClient != null) {
            httpClient.dispatcher().executorService().shutdown();
            httpClient.connectionPool().evictAll();
        }
    }

    private static Map<String, String> exitCodeHelp() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(" " + ExitCodes.OK, "done");
        codes.put(" " + ExitCodes.PARTIAL, "done in part: some items failed (see the summary on stderr)");
        codes.put(" " + ExitCodes.USAGE, "wrong command line");
        codes.put(" " + ExitCodes.UNREACHABLE, "a server could not be reached or timed out");
        codes.put(" " + ExitCodes.SERVER_ERROR, "a server answered with an error");
        codes.put(" " + ExitCodes.BAD_INPUT, "malformed input (payload, page or file)");
        codes.put(" " + ExitCodes.AUTH, "missing or wrong credentials, or a missing permission");
        codes.put(" " + ExitCodes.UNSUPPORTED, "not available in this server version");
        codes.put(" " + ExitCodes.ENVIRONMENT, "a local tool or file is missing or not writable");
        codes.put(String.valueOf(ExitCodes.INTERNAL), "internal error (a bug; rerun with --verbose)");
        return codes;
    }

    /** Reads the version Maven filtered into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (InputStream in = Prowctl.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"prowctl " + props.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
