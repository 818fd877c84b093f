package dev.prowctl.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;

import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.scraper.influx.InfluxException;
import dev.prowctl.scraper.pipeline.ScrapeException;
import dev.prowctl.scraper.prow.DeckException;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.stack.StackException;

/**
 * The one mapping from an exception to the exit code and the one-line message a user sees. Library exceptions
 * carry their context (URL, file) in their message, so it is shown as it is; plain I/O exceptions are named by
 * kind. Anything else is a bug in prowctl: exit 70.
 */
final class FailureMap {

    /** What the user is told, and the exit code. */
    record Failure(ExitCodes exitCode, String message) {
    }

    private FailureMap() {
    }

    static Failure describe(Throwable ex) {
        if (ex instanceof CommandFailure failure) {
            return new Failure(failure.exitCode(), failure.getMessage());
        }
        if (ex instanceof UncheckedIOException unchecked) {
            return describe(unchecked.getCause());
        }
        ExitCodes known = libraryCode(ex);
        if (known != null) {
            return new Failure(known, ex.getMessage());
        }
        if (ex instanceof IOException io) {
            return io(io);
        }
        return new Failure(ExitCodes.INTERNAL, "internal error: " + ex);
    }

    /** The code of an exception a prowctl library threw (its message says what failed); null for others. */
    private static ExitCodes libraryCode(Throwable ex) {
        if (ex instanceof PayloadException) {
            return ExitCodes.BAD_INPUT;
        }
        if (ex instanceof DeckException deck) {
            return deck.status() == 401 || deck.status() == 403 ? ExitCodes.AUTH : ExitCodes.SERVER_ERROR;
        }
        if (ex instanceof ScrapeException scrape) {
            return switch (scrape.reason()) {
                case UNREACHABLE -> ExitCodes.UNREACHABLE;
                case UNREADABLE -> ExitCodes.ENVIRONMENT;
            };
        }
        if (ex instanceof InfluxException influx) {
            return switch (influx.reason()) {
                case AUTH -> ExitCodes.AUTH;
                case UNSUPPORTED -> ExitCodes.UNSUPPORTED;
                case NOT_FOUND, SERVER_ERROR -> ExitCodes.SERVER_ERROR;
            };
        }
        if (ex instanceof GrafanaException grafana) {
            return switch (grafana.problem()) {
                case UNREACHABLE -> ExitCodes.UNREACHABLE;
                case AUTH -> ExitCodes.AUTH;
                case UNSUPPORTED -> ExitCodes.UNSUPPORTED;
                case BAD_INPUT -> ExitCodes.BAD_INPUT;
                case NOT_FOUND, CONFLICT, SERVER_ERROR -> ExitCodes.SERVER_ERROR;
            };
        }
        if (ex instanceof StackException stack) {
            return switch (stack.reason()) {
                case INVALID_SETTING -> ExitCodes.USAGE;
                case MISSING_TOOL -> ExitCodes.ENVIRONMENT;
                case UNREACHABLE -> ExitCodes.UNREACHABLE;
                case FAILED -> ExitCodes.SERVER_ERROR;
                case BAD_OUTPUT -> ExitCodes.BAD_INPUT;
                case INTERRUPTED -> ExitCodes.INTERNAL;
            };
        }
        return null;
    }

    /** A plain I/O exception, by kind: its message is often only a host or a path. */
    private static Failure io(IOException ex) {
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
        if (ex instanceof ZipException) {
            return new Failure(ExitCodes.BAD_INPUT, "not valid gzip: " + ex.getMessage());
        }
        if (ex instanceof AccessDeniedException) {
            return new Failure(ExitCodes.ENVIRONMENT, "permission denied: " + ex.getMessage());
        }
        return new Failure(ExitCodes.ENVIRONMENT, "I/O error: " + ex.getMessage());
    }
}
