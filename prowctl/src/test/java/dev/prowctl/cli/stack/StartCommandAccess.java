package dev.prowctl.cli.stack;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.prowctl.cli.TestCommandLine;
import picocli.CommandLine;

/** Parses a {@code stack start} command line (without running it) and reads its --timeout. */
public final class StartCommandAccess {

    private StartCommandAccess() {
    }

    public static Duration timeout(String... options) {
        CommandLine root = TestCommandLine.create(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        List<String> args = new ArrayList<>(List.of("stack", "start"));
        args.addAll(List.of(options));
        CommandLine.ParseResult parsed = root.parseArgs(args.toArray(String[]::new));
        StartCommand start = (StartCommand) parsed.subcommand().subcommand().commandSpec().userObject();
        return start.timeout;
    }
}
