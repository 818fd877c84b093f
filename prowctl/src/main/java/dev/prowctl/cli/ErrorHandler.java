package dev.prowctl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every failure as one line on stderr, {@code prowctl <command path>: <message>}, and returns its exit code:
 * execution failures as {@link FailureMap} describes them, command-line errors as usage errors. Stack traces are
 * printed only with {@code --verbose}, redacted like the messages (an exception text may quote a URL).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        FailureMap.Failure failure = FailureMap.describe(ex);
        err.println(prefix(commandLine) + failure.message());
        if (isVerbose(parseResult)) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(TerminalText.multiLine(Redaction.text(trace.toString())));
        } else if (failure.bug()) {
            err.println("This is a bug in prowctl; run again with --verbose to see the stack trace.");
        }
        err.flush();
        return failure.exitCode().code();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        // a rejected value is quoted in the message, and it may be a URL with a secret
        err.println(prefix(cmd) + FailureMap.safe(ex.getMessage()));
        StringWriter suggestions = new StringWriter();
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, new PrintWriter(suggestions));
        err.print(TerminalText.multiLine(Redaction.text(suggestions.toString())));
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE.code();
    }

    /** The one prefix of every error line: {@code prowctl grafana export: }. */
    static String prefix(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName() + ": ";
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
