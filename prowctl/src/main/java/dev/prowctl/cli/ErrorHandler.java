package dev.prowctl.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every failure as one line on stderr and returns its exit code: execution failures as {@link FailureMap}
 * describes them, command-line errors as usage errors. Stack traces are printed only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        FailureMap.Failure failure = FailureMap.describe(ex);
        err.println("prowctl " + commandLine.getCommandName() + ": " + failure.message());
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (failure.exitCode() == ExitCodes.INTERNAL) {
            err.println("This is a bug in prowctl; run again with --verbose to see the stack trace.");
        }
        err.flush();
        return failure.exitCode().code();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("prowctl: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE.code();
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
