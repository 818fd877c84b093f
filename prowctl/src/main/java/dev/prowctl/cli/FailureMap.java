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
import java.util.regex.Pattern;
import java.util.zip.ZipException;

import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.influx.InfluxException;
import dev.prowctl.scraper.pipeline.ScrapeException;
import dev.prowctl.scraper.prow.DeckException;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.stack.StackException;

/**
 * The one mapping from an exception to the exit code and the one-line message a user sees. Library exceptions
 * carry their context (URL, file) in their message, so it is shown as it is; plain I/O exceptions are named by
 * kind. Running out of memory is the user's heap limit, not a bug: exit 70 with a hint. Anything else is a bug in
 * prowctl: exit 70. Every message is made {@link #safe}: it quotes URLs, server and payload text.
 */
final class FailureMap {

    /** A qualified Java class name of an exception, with its ": ", as {@code Throwable.toString()} puts it first. */
    private static final Pattern EXCEPTION_CLASS =
            Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b(?::\\s*)?");

    /** What the user is told (always {@link #safe}), the exit code, and whether it is a bug in prowctl. */
    record Failure(ExitCodes exitCode, String message, boolean bug) {
        Failure {
            message = safe(message);
        }

        Failure(ExitCodes exitCode, String message) {
            this(exitCode, message, exitCode == ExitCodes.INTERNAL);
        }
    }

    private FailureMap() {
    }

    static Failure describe(Throwable ex) {
        if (causedByOutOfMemory(ex)) {
            return outOfMemory();
        }
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
        String detail = ex.getMessage() == null ? "" : ": " + ex.getMessage();
        return new Failure(ExitCodes.INTERNAL, "internal error" + detail);
    }

    /**
     * The one line for a heap that is too small for the payload (deck's is hundreds of MB): which limit, and how to
     * raise it. Exit 70, never a stack trace with exit 1 ("done in part").
     */
    static Failure outOfMemory() {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return new Failure(ExitCodes.INTERNAL, "out of memory reading the input (Java heap limit " + maxMb
                + " MB); raise it, e.g. JAVA_OPTS=-Xmx" + Math.max(512, Long.highestOneBit(Math.max(1, maxMb)) * 4)
                + "m", false);
    }

    /** Whether {@code ex} or one of its causes is an OutOfMemoryError (a worker thread's arrives wrapped). */
    private static boolean causedByOutOfMemory(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code text} fit to print: secrets out of its URLs ({@link Redaction}), no exception class names, and no
     * control characters or escape sequences from server or payload text ({@link TerminalText}), on one line.
     */
    static String safe(String text) {
        if (text == null) {
            return null;
        }
        return TerminalText.oneLine(EXCEPTION_CLASS.matcher(Redaction.text(text)).replaceAll("")).strip();
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
