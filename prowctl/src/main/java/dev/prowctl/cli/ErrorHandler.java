package dev.prowctl.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns exceptions into a one-line message on stderr and an exit code. Stack traces are
 * printed only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        Failure failure = describe(ex);
        err.println("prowctl " + commandLine.getCommandName() + ": " + failure.message());
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (failure.exitCode() == ExitCodes.INTERNAL) {
            err.println("This is a bug in prowctl; run again with --verbose to see the stack trace.");
        }
        err.flush();
        return failure.exitCode();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("prowctl: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Maps an exception to its user-facing message and exit code. */
    static Failure describe(Throwable ex) {
        if (ex instanceof CommandFailure failure) {
            return new Failure(failure.exitCode(), failure.getMessage());
        }
        if (ex instanceof ConnectException || ex instanceof NoRouteToHostException) {
            return new Failure(ExitCodes.UNREACHABLE, "could not connect: " + ex.getMessage());
        }
        if (ex instanceof UnknownHostException) {
            return new Failure(ExitCodes.UNREACHABLE, "unknown host " + ex.getMessage());
        }
        if (ex instanceof InterruptedIOException) {
            return new Failure(ExitCodes.UNREACHABLE, "timed out: " + ex.getMessage());
        }
        if (ex instanceof NoSuchFileException || ex instanceof FileNotFoundException) {
            return new Failure(ExitCodes.BAD_INPUT, "no such file: " + ex.getMessage());
        }
        if (ex instanceof AccessDeniedException) {
            return new Failure(ExitCodes.ENVIRONMENT, "permission denied: " + ex.getMessage());
        }
        if (ex instanceof IOException) {
            return new Failure(ExitCodes.ENVIRONMENT, "I/O error: " + ex.getMessage());
        }
        return new Failure(ExitCodes.INTERNAL, "internal error: " + ex);
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    record Failure(int exitCode, String message) {
    }
}
