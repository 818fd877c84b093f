package dev.prowctl.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
                "Data goes to stdout; progress, warnings and errors go to stderr."})
public final class Prowctl implements Runnable {

    /**
     * The subcommands, in help order. They are added by {@link #newCommandLine} rather than listed in
     * {@code @Command}: picocli builds a command's model by reflection, and a scrape run by Telegraf every few
     * minutes should not pay for building the Grafana, relay and stack commands it never uses.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    /** Shown at the end of the root command's --help; the others point to it. */
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
        Utf8StdoutWriter stdout = new Utf8StdoutWriter(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintWriter out = new PrintWriter(stdout, false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            PrintWriter safeErr = new PrintWriter(new SafeStderr(err), true);
            if (e instanceof OutOfMemoryError) {
                // a worker thread's (an HTTP dispatcher's, the relay's): one line and exit 70, not a trace
                safeErr.println("prowctl: " + FailureMap.outOfMemory().message());
                Runtime.getRuntime().halt(ExitCodes.INTERNAL.code());
            }
            safeErr.print("prowctl: uncaught in thread " + thread.getName() + ": ");
            e.printStackTrace(safeErr);
            safeErr.flush();
        });
        int code = run(out, err, args);
        System.exit(exitCode(code, stdout, err));
    }

    /**
     * The command's exit code, unless writing its data failed: a PrintWriter swallows write errors, and a scrape
     * into a full disk must not end with 0. A reader that went away ({@code prowctl scrape | head}) is not an
     * error.
     */
    static int exitCode(int commandCode, Utf8StdoutWriter stdout, PrintWriter err) {
        java.io.IOException failure = stdout.failure();
        if (failure == null || String.valueOf(failure.getMessage()).contains("Broken pipe")) {
            return commandCode;
        }
        err.println("prowctl: could not write to standard output: " + failure.getMessage());
        err.flush();
        return ExitCodes.ENVIRONMENT.code();
    }

    /** Runs one prowctl command line with the given streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Prowctl root = new Prowctl();
        String[] translated = LegacyFlags.translate(args);
        PrintWriter safeErr = new PrintWriter(new SafeStderr(err), true);
        CommandLine commandLine = newCommandLine(root, out, safeErr, subcommandsFor(translated));
        try {
            return commandLine.execute(translated);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the ErrorHandler; an Error would end the JVM with a trace and exit 1
            FailureMap.Failure failure = FailureMap.outOfMemory();
            safeErr.println(commandName(commandLine, translated) + ": " + failure.message());
            return failure.exitCode().code();
        } finally {
            out.flush();
            safeErr.flush();
            root.close();
        }
    }

    /** {@code prowctl scrape}: the command path named on the command line, as far as it names one. */
    private static String commandName(CommandLine commandLine, String[] args) {
        CommandLine command = commandLine;
        for (String arg : args) {
            CommandLine sub = command.getSubcommands().get(arg);
            if (sub != null) {
                command = sub;
            } else if (!arg.startsWith("-")) {
                break;
            }
        }
        return command.getCommandSpec().qualifiedName();
    }

    /** The whole command tree, as {@code prowctl --help} and shell completion show it. */
    static CommandLine newCommandLine(Prowctl root, PrintWriter out, PrintWriter err) {
        return newCommandLine(root, out, err, SUBCOMMANDS.keySet());
    }

    /**
     * The subcommands a command line needs: only the one it names (after root options such as {@code --verbose}),
     * else all of them: root help and version (also {@code prowctl --help scrape}), an unknown or missing name,
     * {@code prowctl help [COMMAND]}, and completion scripts, which describe the whole tree.
     */
    static Collection<String> subcommandsFor(String[] args) {
        for (String arg : args) {
            if (ROOT_HELP_OPTIONS.contains(arg)) {
                return SUBCOMMANDS.keySet();
            }
            if (!arg.startsWith("-")) {
                boolean wholeTree = arg.equals(COMPLETION) || arg.equals(HELP);
                return SUBCOMMANDS.containsKey(arg) && !wholeTree ? List.of(arg) : SUBCOMMANDS.keySet();
            }
        }
        return SUBCOMMANDS.keySet();
    }

    private static final java.util.Set<String> ROOT_HELP_OPTIONS = java.util.Set.of("-h", "--help", "-V", "--version");

    private static CommandLine newCommandLine(Prowctl root, PrintWriter out, PrintWriter err,
                                              Collection<String> subcommands) {
        CommandLine commandLine = new CommandLine(root);
        for (String name : subcommands) {
            commandLine.addSubcommand(name, SUBCOMMANDS.get(name));
        }
        ErrorHandler errors = new ErrorHandler();
        commandLine.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true)
                // "@FILE" is a secret read from FILE (see Secret), not a picocli argument file
                .setExpandAtFiles(false);
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(EXIT_CODE_HELP);
        commandLine.setUsageHelpWidth(HELP_WIDTH);
        commandLine.setHelpFactory(new UnbrokenUrlsHelp());
        addFooters(commandLine);
        return commandLine;
    }

    /**
     * Every command's help ends with its reference page; below the root, the exit codes (listed once, in the root
     * help) are a pointer. Every command answers --version as the root does.
     */
    private static void addFooters(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        String exitCodes = spec.parent() == null ? "" : "%nExit codes: see 'prowctl --help'.";
        spec.usageMessage().footer(exitCodes + "%n" + referencePointer(spec));
        if (spec.versionProvider() == null) {
            spec.versionProvider(new Version());
        }
        commandLine.getSubcommands().values().forEach(Prowctl::addFooters);
    }

    /**
     * Columns of --help: wide enough that the longest default URL fits on one line of its option's description
     * (a URL is never broken, see {@link UnbrokenUrlsHelp}).
     */
    static final int HELP_WIDTH = 100;

    /** Help stays short: every option, example and schema is in the command's page under docs/. */
    static String referencePointer(CommandSpec command) {
        CommandSpec top = command;
        while (top.parent() != null && top.parent().parent() != null) {
            top = top.parent();
        }
        boolean hasPage = top.parent() != null && !COMPLETION.equals(top.name()) && !HELP.equals(top.name());
        String page = hasPage ? "docs/" + top.name() + ".md" : "README.md";
        return "Reference: " + page + " in the prowctl repository.";
    }

    private void close() {
        if (httpClient != null) {
            httpClient.dispatcher().executorService().shutdown();
            httpClient.connectionPool().evictAll();
        }
    }

    private static final String COMPLETION = "generate-completion";
    private static final String HELP = "help";

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("scrape", ScrapeCommand.class);
        commands.put("backfill", BackfillCommand.class);
        commands.put("grafana", GrafanaCommand.class);
        commands.put("relay", RelayCommand.class);
        commands.put("exporter", ExporterCommand.class);
        commands.put("stack", StackCommand.class);
        commands.put(COMPLETION, AutoComplete.GenerateCompletion.class);
        commands.put(HELP, CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(commands);
    }

    /** The exit-code list of --help, from {@link ExitCodes}: numbers right-aligned, then the help text. */
    private static Map<String, String> exitCodeHelp() {
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCodes code : ExitCodes.values()) {
            codes.put("%2d".formatted(code.code()), code.help());
        }
        return Collections.unmodifiableMap(codes);
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
